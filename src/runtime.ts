/**
 * The bot without its transport: database, state, knowledge, recognizer, message catalog and SupportBot,
 * wired once. The HTTP server (src/server) and the terminal chat (src/cli/chat.ts) both run turns through
 * `runTurn`, so they behave alike.
 */
import path from 'node:path';
import type { TurnContext } from 'botbuilder';
import type { Config } from './config';
import { type Database, openDatabase } from './db';
import { SqlStorage } from './db/storage';
import { loadKnowledge, loadKnowledgeLexicon } from './knowledge';
import type { KnowledgeBase } from './knowledge/types';
import { MessageCatalog } from './language/catalog';
import { detectLanguage } from './language/detect';
import type { Logger } from './logging';
import type { Recognizer } from './nlu/recognizer';
import { buildRecognizer } from './nlu/build';
import { Metrics } from './services/metrics';
import { resetTurnEvents, turnEvents } from './bot/outcome';
import { setTurnLang, turnLang, turnLangIfSet } from './bot/context';
import { toActivity } from './bot/reply';
import { OptimisticConversationState, OptimisticUserState } from './bot/state';
import { SupportBot } from './bot/supportBot';
import { runTurnSafely } from './bot/turn';
import { renderForChannel } from './channels';
import { UnansweredLog } from './services/unanswered';
import { redactPersonalData } from './domain/pii';
import type { Feature, FeatureDeps } from './features/types';
import { defaultFeatures } from './features/index';
import type { MailOutbox, ProactiveMessenger, SmsSender } from './services/ports';
import { SqlRateLimiter } from './services/rateLimit';
import { SqlMailOutbox } from './services/mail/outbox';
import { AdapterProactiveMessenger } from './services/proactive';
import { type Outbound, createOutbound } from './services/outbound';
import { createSmsSender } from './services/sms';
import { setYamlCacheDir } from './yamlCache';
import { todayInKualaLumpur } from './domain/dates';
import { PROCEDURES, type ProcedureRegistration, assembleProcedures, procedureIds } from '../dialogs/registry';

export interface Runtime {
  config: Config;
  log: Logger;
  /** The Prometheus metrics of this runtime (its own registry), served at /metrics. */
  metrics: Metrics;
  database: Database;
  knowledge: KnowledgeBase;
  catalog: MessageCatalog;
  recognizer: Recognizer;
  bot: SupportBot;
  conversationState: OptimisticConversationState;
  userState: OptimisticUserState;
  unanswered: UnansweredLog;
  features: Feature[];
  deps: FeatureDeps;
  /** Runs one turn: the bot's logic, state saved, replies released; errors end in onTurnError. */
  runTurn(context: TurnContext): Promise<void>;
  /** The last resort of a failed turn: log, apologise in the customer's language, clear the broken procedure. */
  onTurnError(context: TurnContext, error: unknown): Promise<void>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** The features to build (default: every feature of the product, src/features/index.ts). */
  features?: (deps: FeatureDeps) => Feature[];
  mail?: MailOutbox;
  sms?: SmsSender;
  proactive?: ProactiveMessenger;
  metrics?: Metrics;
  /** The channel outbox (default: built on the runtime's database with the configured tuning). */
  outbound?: Outbound;
  /** The procedures the bot runs (default: the product's registry, PROCEDURES in dialogs/registry.ts). */
  procedures?: readonly ProcedureRegistration[];
  /** The clock of registry-built procedures ("today" in Kuala Lumpur; default: the system clock). */
  now?: () => Date;
}

export async function createRuntime(config: Config, log: Logger, options: RuntimeOptions = {}): Promise<Runtime> {
  const started = Date.now();
  // the knowledge, catalog and lexicon files parsed once per content (src/yamlCache.ts)
  setYamlCacheDir(path.join(config.dataDir, 'cache'));
  const registry = options.procedures ?? PROCEDURES;
  // entries may start only registered procedures (dangling-procedure otherwise)
  const knowledge = loadKnowledge(config.knowledgeDir, { packs: config.knowledgePacks, procedures: procedureIds(registry) });
  const catalog = MessageCatalog.load(path.join(config.knowledgeDir, 'messages'));
  const metrics = options.metrics ?? new Metrics();
  // the lexicon of KNOWLEDGE_DIR, loaded with the knowledge, is the one every turn is analysed with
  const lexicon = loadKnowledgeLexicon(config.knowledgeDir);
  const recognizer = buildRecognizer(knowledge.entries, config, metrics, lexicon);
  const database = await openDatabase(config.database, { log: log.child({ component: 'database' }), onQueryError: () => metrics.databaseError() });
  const storage = new SqlStorage(database.db);
  const conversationState = new OptimisticConversationState(storage);
  const userState = new OptimisticUserState(storage);
  const unanswered = new UnansweredLog(database.db);
  const outbound = options.outbound ?? createOutbound(database.db, database.engine, config, log);
  // replies waiting in the channel outbox (to be sent, or held for WhatsApp's window) as bot_outbound_queue_depth
  metrics.addQueueDepthSource(async () =>
    (
      await database.db
        .selectFrom('channel_outbox')
        .select((eb) => ['channel', eb.fn.countAll<number>().as('n')])
        .where('status', 'in', ['pending', 'sending', 'held'])
        .groupBy('channel')
        .execute()
    ).map((r) => ({ channel: r.channel, depth: Number(r.n) })),
  );
  // every channel's delivery outcomes in the metrics, as the outbox's worker has them (by the platform's code)
  // a platform's numeric code ("131056") is a label value only with a letter first
  const reason = (code: string) => (/^\d/.test(code) ? `code_${code}` : code);
  outbound.worker.onOutcome(({ row, outcome }) => {
    if (outcome.kind === 'sent') metrics.outbound(row.channel, 'sent');
    else if (outcome.kind === 'retry') metrics.outbound(row.channel, 'retried', reason(outcome.code));
    else if (outcome.kind === 'failed') metrics.outbound(row.channel, 'failed', reason(outcome.code));
  });
  const deps: FeatureDeps = {
    config,
    log,
    db: database.db,
    engine: database.engine,
    knowledge,
    catalog,
    recognizer,
    // procedures' limits fail closed: a database outage fails the hit (and the turn, politely)
    rateLimiter: new SqlRateLimiter(database.db, { log, metrics }),
    mail: options.mail ?? new SqlMailOutbox(database.db, { from: config.MAIL_FROM }),
    sms: options.sms ?? createSmsSender(config, log),
    proactive: options.proactive ?? new AdapterProactiveMessenger(config.MicrosoftAppId, metrics),
    metrics,
    outbound,
  };
  // the outbox's worker runs while the server listens and stops after every other feature
  const features = [
    ...(options.features ?? defaultFeatures)(deps),
    { name: 'outbound', start: () => outbound.worker.start(), stop: () => outbound.worker.stop() },
  ];
  // the features' procedure dialogs and the registry's own, each id registered once (dialogs/registry.ts)
  const now = options.now ?? (() => new Date());
  const procedures = await assembleProcedures(registry, features.flatMap((f) => f.dialogs ?? []), { ...deps, today: () => todayInKualaLumpur(now()) });
  const bot = new SupportBot({
    conversationState,
    userState,
    knowledge,
    recognizer,
    catalog,
    unanswered,
    procedures,
    menuProcedures: registry.filter((p) => p.menu).map((p) => p.id),
    afterAnswer: async (context, entry) => {
      for (const f of features) await f.afterAnswer?.(context, entry);
    },
    beforeMessage: features.flatMap((f) => (f.onMessage ? [(context: TurnContext) => f.onMessage!(context)] : [])),
    interceptors: features.flatMap((f) => (f.interceptMessage ? [(context: TurnContext) => f.interceptMessage!(context)] : [])),
    log,
    maxMessageChars: config.MAX_MESSAGE_CHARS,
  });
  log.info(
    { engine: database.engine, packs: knowledge.packs, entries: knowledge.entries.length, ms: Date.now() - started },
    'runtime ready',
  );

  // Messages per conversation, shared by every instance. Fails open to this process's memory: an outage
  // must leave the bot able to apologise, not fail every message on its limit check.
  const conversationLimiter = new SqlRateLimiter(database.db, { onDatabaseError: 'local', timeoutMs: 1000, log, metrics });
  const onTurnError = async (context: TurnContext, error: unknown): Promise<void> => {
    const err = error as Error;
    log.error(
      { err, conversation: context.activity.conversation?.id, channel: context.activity.channelId },
      'turn failed',
    );
    try {
      if (!turnLangIfSet(context)) {
        setTurnLang(context, detectLanguage(context.activity.text ?? '', { locale: context.activity.locale }, lexicon).lang);
      }
      const unavailable = !(await database.ping(1000));
      await context.sendActivity(toActivity({ text: catalog.t(turnLang(context), unavailable ? 'error.unavailable' : 'error.turn'), lang: turnLang(context) }));
    } catch (sendErr) {
      log.error({ err: sendErr }, 'could not send the apology');
    }
    try {
      // a procedure that failed must not fail again on the next message
      await conversationState.delete(context);
      await conversationState.saveChanges(context, true);
    } catch (clearErr) {
      log.warn({ err: clearErr }, 'could not clear the conversation state after an error');
    }
  };

  const runtime: Runtime = {
    config,
    log,
    metrics,
    database,
    knowledge,
    catalog,
    recognizer,
    bot,
    conversationState,
    userState,
    unanswered,
    features,
    deps,
    async runTurn(context) {
      const { activity } = context;
      // the turn's replies as its channel shows them (src/channels/index.ts: the channel's renderer)
      context.onSendActivities(async (ctx, activities, next) => {
        for (const a of activities) renderForChannel(a, a.channelId ?? ctx.activity.channelId);
        return next();
      });
      if (activity.type === 'message' && typeof activity.text === 'string' && activity.text.length > config.MAX_MESSAGE_CHARS) {
        // Language detection and personal-data masking cost more than linear time on long input: a message
        // over the limit is cut to the limit plus an ellipsis before anything reads it. The bot still sees
        // it as too long (and answers so politely, in the language of its first part).
        const trimmed = activity.text.trim();
        if (trimmed.length > config.MAX_MESSAGE_CHARS) activity.text = `${trimmed.slice(0, config.MAX_MESSAGE_CHARS)}…`;
      }
      if (activity.type === 'message') {
        const limit = await conversationLimiter.hit(
          'conversation',
          `${activity.channelId}|${activity.conversation?.id ?? ''}`,
          config.RATE_LIMIT_PER_CONVERSATION,
          config.RATE_LIMIT_WINDOW_SECONDS,
        );
        if (!limit.allowed) {
          // a polite word once, then silence until the window ends (a flood gets no flood back)
          if (limit.count === config.RATE_LIMIT_PER_CONVERSATION + 1) {
            const lang = detectLanguage(activity.text ?? '', { locale: activity.locale }, lexicon).lang;
            await context.sendActivity(toActivity({ text: catalog.t(lang, 'error.rateLimited', { seconds: limit.retryAfterSeconds }), lang }));
          }
          log.warn({ channel: activity.channelId, count: limit.count }, 'conversation over its message rate limit');
          return;
        }
      }
      const started = process.hrtime.bigint();
      try {
        await runTurnSafely(context, (c) => {
          resetTurnEvents(c);
          return bot.run(c);
        }, {
          states: [conversationState, userState],
          onConflict: (attempt) =>
            log.info({ conversation: redactPersonalData(context.activity.conversation?.id ?? ''), attempt }, 'state changed meanwhile; turn runs again'),
        });
      } catch (error) {
        await onTurnError(context, error);
        if (activity.type === 'message') metrics.turn(activity.channelId, turnLangIfSet(context), 'failed');
        return;
      }
      if (activity.type === 'message') {
        metrics.turnDuration(activity.channelId, Number(process.hrtime.bigint() - started) / 1e9);
        const events = turnEvents(context);
        const lang = turnLangIfSet(context);
        for (const event of events) metrics.turn(activity.channelId, lang, event.outcome);
        if (events.length === 0) metrics.turn(activity.channelId, lang, 'other');
        for (const feature of features) feature.afterTurn?.(context, events);
      }
    },
    onTurnError,
    async close() {
      for (const feature of features) await feature.stop?.();
      await database.close();
    },
  };
  // the reviewed knowledge overlay (src/features/insight.ts) swaps in a rebuilt knowledge base and recognizer
  deps.useKnowledge = (kb, rec) => {
    bot.useKnowledge(kb, rec);
    runtime.knowledge = kb;
    runtime.recognizer = rec;
    deps.knowledge = kb;
    deps.recognizer = rec;
  };
  return runtime;
}
