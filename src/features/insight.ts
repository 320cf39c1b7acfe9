/**
 * Service insight as a feature (issue 19):
 * - /metrics: the runtime's Prometheus metrics (src/services/metrics.ts). On the bot's port only with
 *   `Authorization: Bearer METRICS_TOKEN` (no token configured: 404); with METRICS_PORT set, also on a
 *   listener of its own (METRICS_HOST, default 127.0.0.1) without a token, for a scraper on a private network.
 * - "Did this help?" after an FAQ answer, on channels that show cards (web chat, Direct Line, Teams, the
 *   Emulator): a small card of its own under the answer, so the answer's follow-up buttons stay as they were.
 *   Its buttons are messageBack actions whose value names the answer ({ insightFeedback: ref, vote }); the
 *   press is handled here (Feature.onMessage) from the value, never from the label text (Teams: "messageBack
 *   sends a message and payload to the bot", https://learn.microsoft.com/microsoftteams/platform/concepts/cards/cards-actions;
 *   Web Chat sends the same `value`, and our Direct Line keeps it, src/channels/directline/server.ts). WhatsApp gets no
 *   feedback choice: an answer there already uses its three reply buttons for the follow-ups.
 *   A "no" offers a rephrase (in words), a person and a ticket. Votes are stored with the entry and the masked question.
 * - Every message turn's outcome is logged (src/services/insight.ts) for the dashboard.
 * - The reviewed knowledge overlay (src/knowledge/overlay.ts): every instance polls knowledge_version every
 *   KNOWLEDGE_POLL_MS, and when it moved applies the overlay (paraphrases in memory; a new entry by reloading
 *   the folder with the overlay) and rebuilds the recognizer in a timer, not in a turn, then swaps it in for
 *   the turns that start afterwards. The rebuild runs on the event loop (about 0.5 s for the recognizer on a
 *   busy machine); a worker thread could take the folder load, not the recognizer (a class instance with
 *   closures and private state: structured cloning between threads drops its methods).
 * - The staff pages and their API (src/console/insight), behind one authorisation function (`authorize`).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { ActionTypes, CardFactory, type TurnContext } from 'botbuilder';
import type { Request } from 'restify';
import { turnLang } from '../bot/context';
import { type TurnEvent, markTurnHandled, turnEvents } from '../bot/outcome';
import { type Choice, localeOf, toActivity } from '../bot/reply';
import { KnowledgeOverlay, applyParaphrasesInMemory, loadWithOverlay } from '../knowledge/overlay';
import { buildRecognizer } from '../nlu/build';
import { type StaffAuthorizer, mountInsight } from '../console/insight/routes';
import { InsightLog, type Vote } from '../services/insight';
import { showsFeedback } from '../channels';
import { Metrics } from '../services/metrics';
import { UnansweredLog } from '../services/unanswered';
import { adminAuthorised } from './tickets';
import type { Feature, FeatureDeps } from './types';

const REF = /^[A-Za-z0-9_-]{8,24}$/;

export interface InsightFeature extends Feature {
  overlay: KnowledgeOverlay;
  log: InsightLog;
  /** Checks the overlay version now and rebuilds if it moved (what the poller does). */
  refresh(): Promise<boolean>;
}

/** The staff check of this branch: the admin bearer token (ADMIN_TOKEN) as an admin. The console's sign-in replaces it. */
export function adminTokenAuthorizer(token: string | undefined): StaffAuthorizer {
  return async (req: Request) => (adminAuthorised(req.header('authorization'), token) ? { id: 'admin-token', role: 'admin' } : null);
}

export function createInsightFeature(deps: FeatureDeps, options: { authorize?: StaffAuthorizer } = {}): InsightFeature {
  const { config, catalog } = deps;
  const log = deps.log.child({ feature: 'insight' });
  const metrics = deps.metrics ?? new Metrics({ processMetrics: false });
  const insight = new InsightLog(deps.db);
  const overlay = new KnowledgeOverlay(deps.db, config.knowledgeDir);
  const unanswered = new UnansweredLog(deps.db);
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const q = p.catch((err: unknown) => log.warn({ err }, 'could not record insight')).finally(() => pending.delete(q));
    pending.add(q);
  };
  // the mail and SMS outboxes' waiting rows as bot_outbound_queue_depth (the channel outbox's: src/runtime.ts)
  metrics.addQueueDepthSource(async () => {
    const count = async (table: 'mail_outbox' | 'sms_outbox') =>
      Number((await deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirst())?.n ?? 0);
    return [
      { channel: 'email', depth: await count('mail_outbox') },
      { channel: 'sms', depth: await count('sms_outbox') },
    ];
  });
  /** The knowledge as loaded from the YAML files at start-up (never mutated): the base the overlay is applied to. */
  const fromFiles = deps.knowledge;
  let applied = 0;
  let refreshing: Promise<boolean> | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let metricsServer: http.Server | undefined;

  const refresh = (): Promise<boolean> =>
    (refreshing ??= (async () => {
      try {
        const version = await overlay.version();
        if (version === applied) return false;
        const changes = await overlay.active();
        const started = Date.now();
        const knowledge = applyParaphrasesInMemory(fromFiles, changes) ?? loadWithOverlay(config.knowledgeDir, changes, config.knowledgePacks, fromFiles.procedures);
        // two synchronous steps with the event loop free between them (turns waiting run in between)
        await new Promise((resolve) => setImmediate(resolve));
        const recognizer = buildRecognizer(knowledge.entries, config, metrics, deps.recognizer.lexicon);
        deps.useKnowledge?.(knowledge, recognizer);
        applied = version;
        metrics.knowledgeReload('applied');
        log.info({ version, changes: changes.length, entries: knowledge.entries.length, ms: Date.now() - started }, 'knowledge overlay applied');
        return true;
      } catch (err) {
        metrics.knowledgeReload('failed');
        log.warn({ err }, 'could not apply the knowledge overlay');
        return false;
      } finally {
        refreshing = undefined;
      }
    })());

  const t = (context: TurnContext, key: string) => catalog.t(turnLang(context), key);

  return {
    name: 'insight',
    overlay,
    log: insight,
    refresh,

    async afterAnswer(context, entry) {
      // only where the client shows a card's messageBack buttons (the channel says: src/channels/index.ts)
      if (!showsFeedback(context.activity.channelId)) return;
      const ref = randomBytes(9).toString('base64url');
      // the answered event carries the ref: the turn log stores it with the masked question (afterTurn)
      const event = [...turnEvents(context)].reverse().find((e) => e.outcome === 'answered' && e.entryId === entry.id);
      if (event) event.ref = ref;
      const button = (vote: Vote, key: string) => ({
        type: ActionTypes.MessageBack,
        title: t(context, key),
        displayText: t(context, key),
        text: t(context, key),
        value: { insightFeedback: ref, vote },
      });
      await context.sendActivity({
        type: 'message',
        textFormat: 'plain',
        // in the language of the answer it asks about (the page follows a reply's locale)
        locale: localeOf(turnLang(context)),
        attachments: [CardFactory.heroCard('', t(context, 'insight.feedback.ask'), undefined, [button('helpful', 'insight.feedback.yes'), button('not_helpful', 'insight.feedback.no')])],
      });
    },

    async onMessage(context) {
      const value = context.activity.value as { insightFeedback?: unknown; vote?: unknown } | undefined;
      if (!value || typeof value !== 'object' || typeof value.insightFeedback !== 'string') return;
      const ref = value.insightFeedback;
      const vote = value.vote === 'helpful' || value.vote === 'not_helpful' ? value.vote : undefined;
      if (!REF.test(ref) || !vote) return;
      markTurnHandled(context);
      const channel = context.activity.channelId;
      const conversationId = context.activity.conversation?.id ?? '';
      let recorded = false;
      try {
        let answer = await insight.answer(ref, channel, conversationId);
        if (!answer && pending.size > 0) {
          // the answer's turn may still be being logged by this instance
          await Promise.all([...pending]);
          answer = await insight.answer(ref, channel, conversationId);
        }
        if (answer) {
          recorded = await insight.recordFeedback({ ref, entryId: answer.entryId, vote, lang: answer.lang, channel, conversationId, question: answer.question });
          if (recorded) metrics.feedback(vote);
        }
      } catch (err) {
        log.warn({ err }, 'could not store answer feedback');
      }
      const lang = turnLang(context);
      if (!recorded && vote === 'helpful') {
        await context.sendActivity(toActivity({ text: catalog.t(lang, 'insight.feedback.already'), lang }));
        return;
      }
      if (vote === 'helpful') {
        await context.sendActivity(toActivity({ text: catalog.t(lang, 'insight.feedback.thanks'), lang }));
        return;
      }
      const choices: Choice[] = [
        { title: catalog.t(lang, 'insight.feedback.person'), value: catalog.t(lang, 'insight.feedback.person.question') },
        { title: catalog.t(lang, 'button.ticket'), value: catalog.t(lang, 'menu.ticket.question') },
      ];
      await context.sendActivity(toActivity({ text: catalog.t(lang, 'insight.feedback.sorry'), choices, lang }));
    },

    afterTurn(context: TurnContext, events: TurnEvent[]) {
      const a = context.activity;
      const lang = turnLang(context);
      const records = (events.length > 0 ? events : [{ outcome: 'other' as const }]).map((e: TurnEvent) => ({
        channel: a.channelId,
        lang,
        outcome: e.outcome,
        ...(e.entryId ? { entryId: e.entryId } : {}),
        ...(e.procedure ? { procedure: e.procedure } : {}),
        conversationId: a.conversation?.id ?? '',
        ...(e.ref ? { ref: e.ref, question: a.text ?? '' } : {}),
      }));
      track(insight.recordTurns(records));
    },

    routes(httpContext) {
      const { server } = httpContext;
      server.get('/metrics', async (req, res) => {
        if (!config.METRICS_TOKEN || !adminAuthorised(req.header('authorization'), config.METRICS_TOKEN)) {
          // no token configured: the route does not exist on the public port
          res.status(config.METRICS_TOKEN ? 401 : 404);
          if (config.METRICS_TOKEN) res.setHeader('www-authenticate', 'Bearer realm="metrics"');
          res.end();
          return;
        }
        const { contentType, body } = await metrics.render();
        res.setHeader('content-type', contentType);
        res.setHeader('cache-control', 'no-store');
        res.end(body);
      });
      mountInsight(server, {
        authorize: options.authorize ?? adminTokenAuthorizer(config.ADMIN_TOKEN),
        catalog,
        insight,
        overlay,
        unanswered,
        knowledge: () => deps.knowledge,
        refresh,
        log,
        databaseAnswers: () => httpContext.databaseAnswers(),
      });
    },

    start() {
      void refresh();
      pollTimer = setInterval(() => void refresh(), config.KNOWLEDGE_POLL_MS);
      pollTimer.unref();
      if (config.METRICS_PORT !== undefined) {
        // plain node http (restify patches ServerResponse.writeHead to return nothing: no chaining here)
        metricsServer = http.createServer((req, res) => {
          if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
            res.statusCode = 404;
            res.end();
            return;
          }
          metrics.render().then(
            ({ contentType, body }) => {
              res.statusCode = 200;
              res.setHeader('content-type', contentType);
              res.setHeader('cache-control', 'no-store');
              res.end(body);
            },
            () => {
              res.statusCode = 500;
              res.end();
            },
          );
        });
        metricsServer.listen(config.METRICS_PORT, config.METRICS_HOST, () => {
          const address = metricsServer?.address();
          log.info({ address }, 'metrics listening');
        });
      }
    },

    async stop() {
      if (pollTimer) clearInterval(pollTimer);
      await refreshing;
      await Promise.all([...pending]);
      if (metricsServer) {
        const closed = new Promise<void>((resolve) => metricsServer!.close(() => resolve()));
        metricsServer.closeAllConnections(); // a scraper's keep-alive connection would hold close() open
        await closed;
      }
    },
  };
}
