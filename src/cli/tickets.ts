/**
 * `npm run tickets -- <command>`: customer service's terminal over the same ticket service as the admin API.
 *
 *   list [--status S] [--category C] [--channel CH] [--assignee A] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
 *        [--limit N] [--offset N] [--json]          newest first, personal data masked
 *   show TKT-…  [--json]                            one ticket with its replies (and a web chat's attached files)
 *   attachment TKT-… <id> --out <file>              saves a file the customer attached
 *   reply TKT-… "text" [--author NAME] [--status S] a staff reply, delivered to the customer
 *   status TKT-… <status>                           open | in_progress | waiting_for_customer | resolved | closed
 *   assign TKT-… <name|->                           "-" removes the assignee
 *   close TKT-…
 *
 * Everything printed passes escapeForStaff (src/domain/controlChars.ts): a customer's escape sequences, bidi
 * overrides or invisible characters are shown as `\u{XXXX}`, never sent to the terminal; `--json` writes them
 * as JSON `\uXXXX` escapes.
 *
 * A staff reply reaches the bot's own web chat by being appended to its conversation in the database (the
 * running bot's stream delivers it live), Bot Framework conversations through the connector (with the bot's
 * credentials); otherwise (WhatsApp, no conversation, a web chat past its lifetime) it goes by e-mail through
 * the outbox, which the running bot delivers.
 */
import '../config/envFile';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Config, loadConfigOrExit } from '../config';
import type { Kysely } from 'kysely';
import { type DB, openDatabase } from '../db';
import { maskEmail } from '../domain';
import { escapeForStaff, jsonForStaff } from '../domain/controlChars';
import { MessageCatalog } from '../language/catalog';
import { createLogger } from '../logging';
import { SqlMailOutbox } from '../services/mail/outbox';
import type { ProactiveMessenger } from '../services/ports';
import { setYamlCacheDir } from '../yamlCache';
import { AttachmentStore, type StoredAttachment } from '../channels/directline/uploads';
import { TICKET_CATEGORIES, TICKET_STATUSES, type Ticket, TicketError, TicketService, isCategory, isStatus } from '../services/tickets';

const USAGE = `usage: npm run tickets -- list [--status S] [--category C] [--channel CH] [--assignee A] [--from DATE] [--to DATE] [--limit N] [--offset N] [--json]
       npm run tickets -- show TKT-YYYYMMDD-XXXX [--json]
       npm run tickets -- attachment TKT-YYYYMMDD-XXXX <id> --out <file>
       npm run tickets -- reply TKT-YYYYMMDD-XXXX "text" [--author NAME] [--status S]
       npm run tickets -- status TKT-YYYYMMDD-XXXX <${TICKET_STATUSES.join('|')}>
       npm run tickets -- assign TKT-YYYYMMDD-XXXX <name|->
       npm run tickets -- close TKT-YYYYMMDD-XXXX`;

export class UsageError extends Error {}

interface Parsed {
  positional: string[];
  options: Map<string, string | true>;
}

export function parseArgs(args: string[]): Parsed {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') options.set('json', true);
    else if (a.startsWith('--')) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${a} needs a value`);
      options.set(a.slice(2), value);
      i++;
    } else positional.push(a);
  }
  return { positional, options };
}

function opt(p: Parsed, name: string): string | undefined {
  const v = p.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

function whole(v: string | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} takes a whole number ≥ ${min}`);
  return n;
}

/** A one-line field: every control character (line breaks included) escaped. */
const one = (s: string): string => escapeForStaff(s);
/** A multi-line text, indented: line breaks and tabs kept, every other control character escaped. */
const block = (s: string): string => `  ${escapeForStaff(s, { multiline: true }).replace(/\n/g, '\n  ')}`;

function describe(t: Ticket): string {
  const lines = [
    `${t.reference}  ${t.status}  ${t.category}  (${t.lang}, ${one(t.channel)})`,
    `name:        ${one(t.name)}`,
    `e-mail:      ${one(t.email ?? '-')}`,
    `mobile:      ${one(t.phone ?? '-')}`,
    `assignee:    ${one(t.assignee ?? '-')}`,
    `created:     ${t.createdAt}   updated: ${t.updatedAt}`,
    `source:      ${one(t.source ?? '-')}`,
    `reachable in chat: ${t.conversationRef ? 'yes' : 'no'}${t.confirmationPending ? '   (the confirmation with the reference has not reached the customer yet)' : ''}`,
    '',
    'description:',
    block(t.description),
  ];
  if (t.excerpt) lines.push('', 'conversation excerpt (masked):', block(t.excerpt));
  for (const r of t.replies) {
    lines.push('', `reply #${r.id} by ${one(r.author)} at ${r.createdAt} (delivery: ${r.delivery}${r.deliveryError ? `; ${one(r.deliveryError)}` : ''}):`, block(r.text));
  }
  return lines.join('\n');
}

/** Runs one command; output goes to `out`. Exported for tests (the same service, a test database). */
/** Whether the ticket's channel keeps uploaded files (loaded on use: the registry brings every channel's code). */
function keepsUploads(channelId: string | undefined): boolean {
  return (require('../channels') as typeof import('../channels')).keepsUploads(channelId);
}

/** The files a web chat customer attached in the conversation that raised the ticket. */
async function ticketFiles(ticket: Ticket, attachments: AttachmentStore | undefined): Promise<StoredAttachment[]> {
  const conversationId = ticket.conversationRef?.conversation?.id;
  if (!attachments || !keepsUploads(ticket.conversationRef?.channelId) || !conversationId) return [];
  return attachments.list(conversationId);
}

export async function runTicketsCommand(
  args: string[],
  service: TicketService,
  write: (s: string) => void,
  /** The web chat's attached files (listed by `show`, saved by `attachment`). */
  attachments?: AttachmentStore,
): Promise<void> {
  // the last line of defence: whatever a command prints, no raw control character reaches the terminal
  const out = (s: string) => write(escapeForStaff(s, { multiline: true }));
  const p = parseArgs(args);
  const [command, ref, ...rest] = p.positional;
  const json = p.options.has('json');
  const need = (what: string): string => {
    if (!ref) throw new UsageError(`${command} needs a ticket reference (${what})`);
    return ref;
  };
  switch (command) {
    case 'list': {
      const status = opt(p, 'status');
      const category = opt(p, 'category');
      if (status && !isStatus(status)) throw new UsageError(`--status is one of ${TICKET_STATUSES.join(', ')}`);
      if (category && !isCategory(category)) throw new UsageError(`--category is one of ${TICKET_CATEGORIES.join(', ')}`);
      for (const d of ['from', 'to']) {
        const v = opt(p, d);
        if (v && (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v)))) throw new UsageError(`--${d} takes a date YYYY-MM-DD`);
      }
      const page = await service.list({
        status: status as never,
        category: category as never,
        channel: opt(p, 'channel'),
        assignee: opt(p, 'assignee'),
        createdFrom: opt(p, 'from'),
        createdTo: opt(p, 'to'),
        limit: whole(opt(p, 'limit'), 'limit', 1),
        offset: whole(opt(p, 'offset'), 'offset', 0),
      });
      if (json) return out(jsonForStaff(page, 2));
      if (page.items.length === 0) return out('No tickets.');
      for (const t of page.items) {
        out(
          [t.reference, t.status.padEnd(20), t.category.padEnd(13), t.createdAt.slice(0, 16), one(t.name), one(t.email ?? ''), one(t.phone ?? ''), t.assignee ? `→ ${one(t.assignee)}` : '']
            .filter((x) => x !== '')
            .join('  '),
        );
      }
      out(`${page.offset + 1}–${page.offset + page.items.length} of ${page.total}`);
      return;
    }
    case 'show': {
      const ticket = await service.get(need('show TKT-…'));
      if (!ticket) throw new TicketError('not-found', `no ticket ${ref}`);
      const files = await ticketFiles(ticket, attachments);
      if (json) {
        const { conversationRef, ...rest2 } = ticket;
        return out(jsonForStaff({ ...rest2, reachableInChat: !!conversationRef, attachments: files }, 2));
      }
      const listed = files.map((f) => `  ${f.id}  ${f.name} (${f.contentType}, ${Math.ceil(f.size / 1024)} KB)`);
      return out(describe(ticket) + (listed.length > 0 ? `\nAttachments (save one with: attachment ${ticket.reference} <id> --out <file>):\n${listed.join('\n')}` : ''));
    }
    case 'attachment': {
      const id = rest[0];
      const file = opt(p, 'out');
      if (!id || !file) throw new UsageError('attachment TKT-… <id> --out <file>');
      const ticket = await service.get(need('attachment TKT-… <id> --out <file>'));
      if (!ticket) throw new TicketError('not-found', `no ticket ${ref}`);
      const conversationId = ticket.conversationRef?.conversation?.id;
      const found = attachments && conversationId && keepsUploads(ticket.conversationRef?.channelId) ? await attachments.get(conversationId, id) : undefined;
      if (!found) throw new TicketError('not-found', `no attachment ${id} on ${ticket.reference}`);
      // written for the staff member only; an existing file is not overwritten
      await fs.promises.writeFile(file, found.data, { mode: 0o600, flag: 'wx' });
      return out(`Saved ${found.name} (${found.contentType}, ${found.size} bytes) to ${file}.`);
    }
    case 'reply': {
      const text = rest.join(' ').trim();
      if (!text) throw new UsageError('reply needs the text: reply TKT-… "text"');
      const status = opt(p, 'status');
      if (status && !isStatus(status)) throw new UsageError(`--status is one of ${TICKET_STATUSES.join(', ')}`);
      const author = opt(p, 'author') ?? safeUser();
      const { ticket, reply } = await service.reply(need('reply TKT-… "text"'), { text, author, status: status as never });
      const to = reply.delivery === 'email' && ticket.email ? ` (${maskEmail(ticket.email)})` : '';
      return out(`Reply #${reply.id} stored on ${ticket.reference}; delivered: ${reply.delivery}${to}; status now ${ticket.status}.`);
    }
    case 'status': {
      const status = rest[0];
      if (!status || !isStatus(status)) throw new UsageError(`status TKT-… <${TICKET_STATUSES.join('|')}>`);
      const ticket = await service.update(need('status TKT-… <status>'), { status });
      return out(`${ticket.reference} is now ${ticket.status}.`);
    }
    case 'assign': {
      const who = rest.join(' ').trim();
      if (!who) throw new UsageError('assign TKT-… <name|->');
      const ticket = await service.update(need('assign TKT-… <name>'), { assignee: who === '-' ? null : who });
      return out(`${ticket.reference} is ${ticket.assignee ? `assigned to ${one(ticket.assignee)}` : 'unassigned'}.`);
    }
    case 'close': {
      const ticket = await service.update(need('close TKT-…'), { status: 'closed' });
      return out(`${ticket.reference} is closed.`);
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command');
  }
}

function safeUser(): string {
  try {
    return `staff:${os.userInfo().username}`;
  } catch {
    return 'staff';
  }
}

/**
 * Staff replies from the terminal go into the channel outbox like the server's own: the running server's
 * outbound worker delivers them (this process only commits them). The web chat of the bot's own Direct Line is
 * reached by appending the reply to its conversation in the database: the running bot's stream (any instance)
 * delivers it to the open page. The connector (botbuilder) and the server's authentication settings (restify)
 * take most of a second to load: only a reply that reaches a conversation needs them, so `list`, `show`, …
 * answer without loading them.
 */
function lazyProactiveMessenger(config: Config, deps: { db: Kysely<DB>; catalog: MessageCatalog; log: import('../logging').Logger }): ProactiveMessenger {
  let messenger: ProactiveMessenger | undefined;
  return {
    send(reference, message) {
      if (!messenger) {
        const { ConfigurationBotFrameworkAuthentication } = require('botbuilder') as typeof import('botbuilder');
        const { authOptions, BotFrameworkAdapter } = require('../server') as typeof import('../server');
        const { AdapterProactiveMessenger } = require('../services/proactive') as typeof import('../services/proactive');
        const { OutboundQueue } = require('../services/outbound/queue') as typeof import('../services/outbound/queue');
        const { WHATSAPP_CHANNEL, WhatsAppAdapter, whatsappSettings } = require('../channels/whatsapp/adapter') as typeof import('../channels/whatsapp/adapter');
        const { WEBCHAT_CHANNEL_ID } = require('../channels/directline/adapter') as typeof import('../channels/directline/adapter');
        const { directLineConnection } = require('../channels/directline/connection') as typeof import('../channels/directline/connection');
        const queue = new OutboundQueue(deps.db);
        const whatsapp = new WhatsAppAdapter({
          // the CLI sends, it receives no webhook: the app secret is not needed (nor read)
          settings: { ...whatsappSettings(config), appSecret: undefined },
          db: deps.db,
          catalog: deps.catalog,
          log: deps.log,
          outbox: queue,
        });
        const connector = new BotFrameworkAdapter(new ConfigurationBotFrameworkAuthentication(authOptions(config))).useOutbox(queue);
        const webchat = directLineConnection(deps.db, deps.catalog, config).adapter;
        // Web Chat behind Azure Bot Service is channel "webchat" too: its conversations go through the connector
        webchat.fallback = connector;
        messenger = new AdapterProactiveMessenger(config.MicrosoftAppId)
          .attach(WHATSAPP_CHANNEL, whatsapp)
          .attach(WEBCHAT_CHANNEL_ID, webchat)
          .attach('*', connector);
      }
      return messenger.send(reference, message);
    },
  };
}

async function main(): Promise<void> {
  const config: Config = loadConfigOrExit();
  const log = createLogger({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, format: config.logFormat });
  const database = await openDatabase(config.database);
  try {
    setYamlCacheDir(path.join(config.dataDir, 'cache'));
    const catalog = MessageCatalog.load(path.join(config.knowledgeDir, 'messages'));
    const proactive = lazyProactiveMessenger(config, { db: database.db, catalog, log });
    const service = new TicketService({
      db: database.db,
      mail: new SqlMailOutbox(database.db, { from: config.MAIL_FROM }),
      catalog,
      log,
      supportEmail: config.SUPPORT_EMAIL,
      publicUrl: config.publicUrl,
      proactive,
    });
    await runTicketsCommand(process.argv.slice(2), service, (s) => process.stdout.write(`${s}\n`), new AttachmentStore(database.db));
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    if (err instanceof UsageError) process.stderr.write(`${one(err.message)}\n${USAGE}\n`);
    else if (err instanceof TicketError) process.stderr.write(`${err.code === 'not-found' ? 'Ticket not found' : err.code === 'closed' ? 'The ticket is closed' : 'Invalid'}: ${one(err.message)}\n`);
    else process.stderr.write(`${one((err as Error).message)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  });
}

