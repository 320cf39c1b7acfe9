/**
 * Turn-by-turn conversations with the whole bot (SupportBot routing + procedures + real database), through
 * botbuilder's TestAdapter: `await chat.say('camne nk upgrade akaun')` returns the replies of that turn.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Activity, TestAdapter } from 'botbuilder';
import { setVerifiedPhone } from '../../src/bot/context';
import { loadConfig } from '../../src/config';
import { type Runtime, type RuntimeOptions, createRuntime } from '../../src/runtime';
import { memoryLogger } from './log';
import { RecordingSms } from './sms';

export interface Said {
  text: string;
  buttons: string[];
  /** Values the buttons send back. */
  values: string[];
  activity: Partial<Activity>;
}

export interface TestChat {
  runtime: Runtime;
  adapter: TestAdapter;
  logs: string[];
  /** Sends one message (or activity) and returns the bot's replies to it. */
  say(text: string, overrides?: Partial<Activity>): Promise<Said[]>;
  /** Presses button n (1-based) of the last reply that had buttons. */
  press(n: number): Promise<Said[]>;
  close(): Promise<void>;
}

export async function createTestChat(
  options: RuntimeOptions & { env?: Record<string, string>; channelId?: string; userId?: string; locale?: string } = {},
): Promise<TestChat> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-chat-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...(options.env ?? {}) }, path.join(__dirname, '../..'));
  const { log, lines: logs } = memoryLogger('debug');
  const runtime = await createRuntime(config, log, options);
  const adapter = new TestAdapter((context) => runtime.runTurn(context), {
    channelId: options.channelId ?? 'test',
    from: { id: options.userId ?? 'user-1', name: 'Customer' },
    locale: options.locale ?? 'en-US',
  });
  let lastButtons: string[] = [];
  let lastCarried: unknown[] = [];
  const collect = (): Said[] => {
    const out: Said[] = [];
    while (adapter.activeQueue.length > 0) {
      const a = adapter.activeQueue.shift()!;
      if (a.type !== 'message') continue;
      const actions = a.suggestedActions?.actions ?? [];
      out.push({ text: a.text ?? cardText(a), buttons: actions.map((x) => x.title), values: actions.map((x) => (typeof x.value === 'string' ? x.value : String(x.text ?? x.title))), activity: a });
    }
    const withButtons = [...out].reverse().find((s) => s.values.length > 0);
    if (withButtons) {
      lastButtons = withButtons.values;
      lastCarried = (withButtons.activity.suggestedActions?.actions ?? []).map((x) => (typeof x.value === 'object' ? x.value : undefined));
    }
    return out;
  };
  return {
    runtime,
    adapter,
    logs,
    async say(text, overrides = {}) {
      await adapter.processActivity({ type: 'message', text, ...overrides });
      return collect();
    },
    async press(n) {
      const value = lastButtons[n - 1];
      if (value === undefined) throw new Error(`no button ${n} (buttons: ${lastButtons.join(' | ')})`);
      // a messageBack press: its text and the choice it carries (src/bot/reply.ts)
      const carried = lastCarried[n - 1];
      await adapter.processActivity({ type: 'message', text: value, ...(carried !== undefined ? { value: carried } : {}) });
      return collect();
    },
    async close() {
      await runtime.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A card-only reply's words: the card's fallbackText (src/bot/reply.ts puts the reply's text there). */
export function cardText(a: Partial<Activity>): string {
  const card = a.attachments?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content as { fallbackText?: string } | undefined;
  return card?.fallbackText ?? '';
}

/** All reply texts of a turn joined, for matching. */
export const joined = (said: Said[]): string => said.map((s) => s.text).join('\n');

/**
 * A fresh in-process chat for each test of the surrounding describe, with the SMS codes recorded and staff on duty at any
 * hour (a request for a person is queued whatever the clock says): read `chat` and `sms` inside the tests.
 */
export function chatWithStaffOnDuty(): { readonly chat: TestChat; readonly sms: RecordingSms } {
  const state = {} as { chat: TestChat; sms: RecordingSms };
  beforeEach(async () => {
    state.sms = new RecordingSms();
    state.chat = await createTestChat({ sms: state.sms, env: { HANDOFF_DAYS: '1-7', HANDOFF_OPEN: '00:00', HANDOFF_CLOSE: '24:00' } });
  });
  afterEach(async () => state.chat.close());
  return state;
}

/** Every later turn of `chat` comes from the WhatsApp number `from`, which the channel proves (src/bot/context.ts verifiedPhone). */
export function onWhatsApp(chat: TestChat, from: string): void {
  chat.adapter.use(async (context, next) => {
    setVerifiedPhone(context, from);
    await next();
  });
}
