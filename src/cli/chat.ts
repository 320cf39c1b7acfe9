/**
 * `npm run chat`: talk to the same bot in the terminal, in-process. Each input line is one message; replies
 * are printed with their buttons numbered (type the number to press one). Works with piped stdin:
 *   printf 'hai\ncamne nk upgrade akaun\n' | npm run -s chat
 * Logs go to stderr (warnings only) so stdout holds the conversation.
 */
import '../config/envFile';
import { randomUUID } from 'node:crypto';
import readline from 'node:readline';
import {
  type Activity,
  ActivityTypes,
  BotAdapter,
  type ConversationReference,
  type ResourceResponse,
  TurnContext,
} from 'botbuilder';
import { loadConfigOrExit } from '../config';
import { createLogger } from '../logging';
import { type Runtime, createRuntime } from '../runtime';

/** A BotAdapter whose channel is this terminal. */
export class ConsoleAdapter extends BotAdapter {
  private readonly conversation = { id: `console-${randomUUID()}` };
  private readonly user = { id: 'console-user', name: 'You' };
  private readonly bot = { id: 'support-bot', name: 'Bot' };
  private choices: string[] = [];

  constructor(
    private readonly runtime: Runtime,
    private readonly out: NodeJS.WritableStream = process.stdout,
  ) {
    super();
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
    const chosen = n >= 1 && n <= this.choices.length ? this.choices[n - 1]! : text;
    await this.run(this.activity({ type: ActivityTypes.Message, text: chosen }));
  }

  private async run(activity: Partial<Activity>): Promise<void> {
    const context = new TurnContext(this, activity);
    await this.runMiddleware(context, (c) => this.runtime.runTurn(c));
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    for (const a of activities) {
      if (a.type !== ActivityTypes.Message) continue;
      if (a.text) this.out.write(`bot> ${a.text.replace(/\n/g, '\n     ')}\n`);
      const actions = a.suggestedActions?.actions ?? [];
      if (actions.length > 0) {
        this.choices = actions.map((x) => String(x.value ?? x.title));
        this.out.write(actions.map((x, i) => `     [${i + 1}] ${x.title}`).join('\n') + '\n');
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

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger({ level: 'warn', format: 'json', destination: process.stderr });
  const runtime = await createRuntime(config, log);
  const adapter = new ConsoleAdapter(runtime);
  const interactive = process.stdin.isTTY === true;
  const rl = readline.createInterface({ input: process.stdin, terminal: interactive });
  await adapter.start();
  if (interactive) process.stdout.write('(type a message; Ctrl+D to quit)\nyou> ');
  // lines are handled strictly one after another, as a customer would send them
  for await (const line of rl) {
    if (!interactive && line.trim()) process.stdout.write(`you> ${line.trim()}\n`);
    await adapter.say(line);
    if (interactive) process.stdout.write('you> ');
  }
  await runtime.close();
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`chat failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
