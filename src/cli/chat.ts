/**
 * `npm run chat`: talk to the same bot in the terminal, in-process. Each input line is one message; replies
 * are printed with their buttons (suggested actions, card buttons) numbered — type the number to press one —
 * and cards (Adaptive Cards, hero cards) as plain text. In a terminal what you type is echoed and edited as
 * usual (readline); piped stdin works too and echoes each line as `you> …`:
 *   printf 'hai\ncamne nk upgrade akaun\n' | npm run -s chat
 * Logs go to DATA_DIR/logs/chat.log, never into the conversation; `npm run chat -- --log` writes them to
 * stderr instead. `--lang ms|en` chooses the language of the terminal's own hints (by default they follow the
 * language of the bot's last reply).
 */
import '../config/envFile';
// before the app, as in src/index.ts: botbuilder-dialogs' unused Recognizers-Text suites load only if used
import '../lazyModules';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import pino from 'pino';
import type { PrettyOptions } from 'pino-pretty';
import {
  type Activity,
  ActivityTypes,
  type Attachment,
  BotAdapter,
  type CardAction,
  type ConversationReference,
  type ResourceResponse,
  TurnContext,
} from 'botbuilder';
import { cardText } from '../channels/whatsapp/render';
import { loadConfigOrExit } from '../config';
import type { Lang } from '../knowledge/types';
import { createLogger } from '../logging';
import { type Runtime, createRuntime } from '../runtime';

/**
 * The command-line usage, printed before the configuration (and so the message catalog) is loaded: a
 * developer's line, in both languages. What the terminal shows a customer comes from knowledge/messages
 * (channels.terminal.*).
 */
const USAGE = ['guna: npm run chat [-- --log] [--lang ms|en]', 'usage: npm run chat [-- --log] [--lang ms|en]'];

/** What one numbered choice sends: a text (imBack, a button's value) or a card's submit data. */
interface TerminalChoice {
  title: string;
  text?: string;
  value?: unknown;
}

const INDENT = '     ';

function actionChoice(a: CardAction | Record<string, unknown>): TerminalChoice | { url: string; title: string } | undefined {
  const o = a as Record<string, unknown>;
  const title = typeof o.title === 'string' ? o.title : typeof o.value === 'string' ? o.value : '';
  const type = String(o.type ?? '');
  if ((type === 'openUrl' || type === 'Action.OpenUrl') && typeof (o.url ?? o.value) === 'string') {
    return { title: title || String(o.url ?? o.value), url: String(o.url ?? o.value) };
  }
  if (type === 'Action.Submit' || type === 'Action.Execute') {
    const data = o.data;
    if (data && typeof data === 'object') {
      const msteams = (data as Record<string, unknown>).msteams as Record<string, unknown> | undefined;
      const text = typeof msteams?.value === 'string' ? msteams.value : typeof msteams?.text === 'string' ? msteams.text : undefined;
      return text ? { title: title || text, text } : { title: title || '…', value: data };
    }
    return typeof data === 'string' ? { title: title || data, text: data } : undefined;
  }
  const text = typeof o.value === 'string' ? o.value : typeof o.text === 'string' ? o.text : title;
  return text ? { title: title || text, text } : undefined;
}

/** A card's readable text and its buttons: Adaptive Cards (body, facts, actions) and hero/thumbnail cards. */
export function renderAttachment(att: Attachment): { text: string; actions: Array<CardAction | Record<string, unknown>> } {
  const content = att.content as Record<string, unknown> | undefined;
  if (!content || typeof content !== 'object') return { text: '', actions: [] };
  if (att.contentType === 'application/vnd.microsoft.card.adaptive') {
    const actions: Array<Record<string, unknown>> = [];
    const collect = (node: unknown, depth: number): void => {
      if (depth > 12 || node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach((n) => collect(n, depth + 1));
      const o = node as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Action.') && o.type !== 'Action.ShowCard') actions.push(o);
      for (const key of ['body', 'items', 'columns', 'actions', 'selectAction']) if (key in o) collect(o[key], depth + 1);
    };
    collect(content, 0);
    return { text: cardText(content), actions };
  }
  if (att.contentType?.startsWith('application/vnd.microsoft.card.')) {
    const text = ['title', 'subtitle', 'text'].map((k) => content[k]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    return { text: text.join('\n'), actions: Array.isArray(content.buttons) ? (content.buttons as CardAction[]) : [] };
  }
  return { text: '', actions: [] };
}

/** A BotAdapter whose channel is this terminal. */
export class ConsoleAdapter extends BotAdapter {
  private readonly conversation = { id: `console-${randomUUID()}` };
  private readonly user = { id: 'console-user', name: 'You' };
  private readonly bot = { id: 'support-bot', name: 'Bot' };
  private choices: TerminalChoice[] = [];
  /** The language of the bot's last reply (its locale), or the one asked for with --lang. */
  lang: Lang;

  constructor(
    private readonly runtime: Runtime,
    private readonly out: NodeJS.WritableStream = process.stdout,
    private readonly fixedLang?: Lang,
  ) {
    super();
    this.lang = fixedLang ?? 'ms';
  }

  private activity(partial: Partial<Activity>): Partial<Activity> {
    return {
      channelId: 'console',
      serviceUrl: 'console://local',
      conversation: { ...this.conversation, isGroup: false, conversationType: 'personal', name: 'console' },
      from: this.user,
      recipient: this.bot,
      timestamp: new Date(),
      id: randomUUID(),
      ...partial,
    };
  }

  async start(): Promise<void> {
    await this.run(this.activity({ type: ActivityTypes.ConversationUpdate, membersAdded: [this.user] }));
  }

  async say(line: string): Promise<void> {
    const text = line.trim();
    if (text === '') return;
    // a number presses the button of the last reply
    const n = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
    const chosen = n >= 1 && n <= this.choices.length ? this.choices[n - 1]! : undefined;
    // the buttons of this turn's replies replace the last ones; a reply without buttons leaves none to press
    this.choices = [];
    if (chosen?.value !== undefined) await this.run(this.activity({ type: ActivityTypes.Message, text: chosen.text, value: chosen.value }));
    else await this.run(this.activity({ type: ActivityTypes.Message, text: chosen?.text ?? text }));
  }

  private async run(activity: Partial<Activity>): Promise<void> {
    const context = new TurnContext(this, activity);
    await this.runMiddleware(context, (c) => this.runtime.runTurn(c));
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    for (const a of activities) {
      if (a.type !== ActivityTypes.Message) continue;
      if (!this.fixedLang && a.locale) this.lang = a.locale.toLowerCase().startsWith('en') ? 'en' : 'ms';
      const blocks: string[] = [];
      if (a.text) blocks.push(a.text);
      const choices: TerminalChoice[] = [];
      const links: string[] = [];
      const add = (action: CardAction | Record<string, unknown>): void => {
        const c = actionChoice(action);
        if (!c) return;
        if ('url' in c) links.push(`${this.runtime.catalog.t(this.lang, 'channels.terminal.open')}: ${c.title === c.url ? c.url : `${c.title} <${c.url}>`}`);
        else choices.push(c);
      };
      for (const att of a.attachments ?? []) {
        const card = renderAttachment(att);
        if (card.text && !blocks.includes(card.text)) blocks.push(card.text);
        card.actions.forEach(add);
      }
      (a.suggestedActions?.actions ?? []).forEach(add);
      if (blocks.length > 0) this.out.write(`bot> ${blocks.join('\n\n').replace(/\n/g, `\n${INDENT}`)}\n`);
      for (const l of links) this.out.write(`${INDENT}${l}\n`);
      if (choices.length > 0) {
        this.choices = choices;
        this.out.write(choices.map((x, i) => `${INDENT}[${i + 1}] ${x.title}`).join('\n') + '\n');
      }
    }
    return activities.map(() => ({ id: randomUUID() }));
  }

  async updateActivity(): Promise<void> {
    throw new Error('the terminal cannot update a message');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('the terminal cannot delete a message');
  }

  async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const context = new TurnContext(this, TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continue' }, reference, true));
    await this.runMiddleware(context, logic);
  }
}

export interface ChatArgs {
  /** logs to stderr instead of the log file */
  log: boolean;
  lang?: Lang;
}

export function parseChatArgs(argv: string[]): ChatArgs | 'help' {
  const args: ChatArgs = { log: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--log') args.log = true;
    else if (a === '--lang' && (argv[i + 1] === 'ms' || argv[i + 1] === 'en')) args.lang = argv[++i] as Lang;
    else if (a.startsWith('--lang=') && (a.slice(7) === 'ms' || a.slice(7) === 'en')) args.lang = a.slice(7) as Lang;
    else return 'help';
  }
  return args;
}

/** A path relative to the working directory when it lies inside it. */
function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** pino-pretty on stderr (stdout holds the conversation). */
function prettyToStderr(): pino.DestinationStream {
  const pretty = (require('pino-pretty') as { default: (options: PrettyOptions) => pino.DestinationStream }).default;
  return pretty({ destination: 2, sync: true, colorize: process.stderr.isTTY, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' });
}

async function main(): Promise<void> {
  const args = parseChatArgs(process.argv.slice(2));
  if (args === 'help') {
    process.stderr.write(`${USAGE.join('\n')}\n`);
    process.exit(2);
  }
  const config = loadConfigOrExit();
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  let logFile: string | undefined;
  const log = args.log
    ? createLogger({ level: config.LOG_LEVEL, format: config.logFormat, destination: config.logFormat === 'json' ? process.stderr : prettyToStderr() })
    : createLogger({
        level: config.LOG_LEVEL,
        format: 'json',
        destination: pino.destination({ dest: (logFile = path.join(config.dataDir, 'logs', 'chat.log')), mkdir: true, sync: true }),
      });
  const runtime = await createRuntime(config, log);
  const adapter = new ConsoleAdapter(runtime, process.stdout, args.lang);
  const rl = readline.createInterface({
    input: process.stdin,
    // in a terminal readline echoes and edits what is typed; piped, nothing is echoed back by readline
    ...(interactive ? { output: process.stdout, terminal: true } : { terminal: false }),
  });
  rl.setPrompt('you> ');
  rl.on('SIGINT', () => rl.close());
  await adapter.start();
  if (interactive) {
    // the greeting is in both languages, and so are these hints unless --lang chose one
    const shown = logFile && fs.existsSync(logFile) ? displayPath(logFile) : undefined;
    for (const lang of args.lang ? [args.lang] : (['ms', 'en'] as const)) {
      const t = (key: string) => runtime.catalog.t(lang, key, { file: shown ?? '' });
      process.stdout.write(`${t('channels.terminal.hint')}${shown ? ` ${t('channels.terminal.logs')}` : ''}\n`);
    }
    rl.prompt();
  }
  // lines are handled strictly one after another, as a customer would send them
  for await (const line of rl) {
    if (!interactive && line.trim()) process.stdout.write(`you> ${line.trim()}\n`);
    await adapter.say(line);
    if (interactive) rl.prompt();
  }
  if (interactive) process.stdout.write('\n');
  await runtime.close();
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`chat failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
