/**
 * A feature plugs a procedure (dialogs), its HTTP routes (pages, webhooks, admin API) and its background
 * work (an outbox worker) into the bot. The runtime (src/runtime.ts) builds every feature listed in
 * src/features/index.ts (defaultFeatures) with the same dependencies; features never read process.env and never
 * reach into each other's tables.
 */
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Dialog } from 'botbuilder-dialogs';
import type { Kysely } from 'kysely';
import type restify from 'restify';
import type { Config } from '../config';
import type { DB, Engine } from '../db';
import type { KnowledgeBase, KnowledgeEntry } from '../knowledge/types';
import type { TurnEvent } from '../bot/outcome';
import type { MessageCatalog } from '../language/catalog';
import type { Logger } from '../logging';
import type { MessageInterception } from '../bot/supportBot';
import type { Recognizer } from '../nlu/recognizer';
import type { UpgradeRoutes } from '../server/upgrade';
import type { Metrics } from '../services/metrics';
import type { MailOutbox, ProactiveMessenger, RateLimiter, SmsSender } from '../services/ports';
import type { Outbound } from '../services/outbound';

export interface FeatureDeps {
  config: Config;
  log: Logger;
  db: Kysely<DB>;
  engine: Engine;
  knowledge: KnowledgeBase;
  catalog: MessageCatalog;
  recognizer: Recognizer;
  rateLimiter: RateLimiter;
  mail: MailOutbox;
  sms: SmsSender;
  /** Reaches a conversation outside a turn; set once the HTTP server (and its adapter) exists. */
  proactive: ProactiveMessenger;
  /** The runtime's Prometheus metrics (src/services/metrics.ts); absent in tests that build features alone. */
  metrics?: Metrics;
  /** Swaps in a rebuilt knowledge base and recognizer for later turns (set by the runtime once the bot exists). */
  useKnowledge?: (knowledge: KnowledgeBase, recognizer: Recognizer) => void;
  /** The channel outbox: channels commit replies to its queue and register their sender on its worker. */
  outbound: Outbound;
}

export interface HttpContext {
  server: restify.Server;
  /** The Bot Framework adapter of /api/messages. */
  adapter: CloudAdapter;
  /** Runs one turn of the bot (state, retries, error handling included): what a channel adapter calls. */
  runTurn(context: TurnContext): Promise<void>;
  /** Turns of one conversation run one after another in this process: wrap a channel's turn in it. */
  serialise<T>(conversationKey: string, task: () => Promise<T>): Promise<T>;
  /** Paths with a WebSocket endpoint: every other upgrade request is answered 404 and closed. */
  upgrades: UpgradeRoutes;
  /** The database answers now (a failed request is then a bug, 500; otherwise an outage, 503 with Retry-After). */
  databaseAnswers(): Promise<boolean>;
}

export interface Feature {
  name: string;
  /** Procedure dialogs built with this feature's services; each dialog's id is registered in dialogs/registry.ts. */
  dialogs?: Dialog[];
  routes?(http: HttpContext): void;
  /**
   * Runs at the start of every message turn, before the bot decides what the message is (inside the turn:
   * its replies are held and released with the turn's). For promises the bot must still keep in this
   * conversation, e.g. a ticket confirmation cut off by a crash. Must not throw.
   */
  onMessage?(context: TurnContext): Promise<void>;
  /**
   * Runs after every onMessage, before the bot routes the message: return a MessageInterception to take the
   * turn (the bot then stays silent, or starts the procedure asked for), undefined to let the bot answer.
   * The live handoff uses it: while a person holds the conversation the customer's messages go to them.
   */
  interceptMessage?(context: TurnContext): Promise<MessageInterception | undefined>;
  /** Called after an FAQ answer is sent, inside the turn (its replies join the turn's): the "did this help?" buttons. */
  afterAnswer?(context: TurnContext, entry: KnowledgeEntry): Promise<void>;
  /** Called once a message turn has run (state saved, replies out) with what it did. Must not throw. */
  afterTurn?(context: TurnContext, events: TurnEvent[]): void;
  /** Background work, started when the server listens. */
  start?(): void;
  /** Stops background work at shutdown (after turns in flight have finished). */
  stop?(): Promise<void>;
}
