/**
 * The bot's Prometheus metrics: one object per runtime, with its own prom-client Registry (never the
 * library's global default registry, so two runtimes in one test process, or two test files, never share or
 * collide on a metric). The runtime builds it and hands it to whatever counts something (FeatureDeps.metrics,
 * the rate limiters, the SMS outbox, the mail worker); /metrics renders it (src/features/insight.ts).
 *
 * Names and labels follow the Prometheus conventions (https://prometheus.io/docs/practices/naming/): an
 * application prefix (bot_), base units (seconds), `_total` on counters, no label name inside a metric name.
 * Every label value is bounded (the same page: "do not use labels to store dimensions with high cardinality,
 * such as user IDs, email addresses"): channels, languages and outcomes are closed lists here, and free
 * labels a caller passes (a limit's bucket, an outbound failure's reason) are reduced to [a-z0-9_] of at most
 * 40 characters, and only the first MAX_FREE_VALUES distinct ones per label are kept (later ones count as
 * "other"). No customer text, id or address ever becomes a label value.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { isNamedChannel, namedChannelIds } from '../channels';

/** What a message turn ended as (a turn may be more than one: an answer that starts a procedure). */
export const TURN_OUTCOMES = [
  'answered',
  'clarified',
  'declined',
  'procedure_started',
  'procedure_completed',
  'procedure_abandoned',
  'handed_off',
  /** the turn failed (onTurnError apologised) */
  'failed',
  /** anything else: a command (help, menu), a greeting, a procedure's next step */
  'other',
] as const;
export type TurnOutcome = (typeof TURN_OUTCOMES)[number];

/** Outbound channels that are not chat channels: the SMS and mail outboxes. */
const MESSAGE_CHANNELS = ['sms', 'email'] as const;

/**
 * Channels named in labels: every id a registered channel names (src/channels/index.ts) and the SMS and mail
 * outboxes; any other channel id is "other" (channelLabel asks the registry at each call, so a channel
 * registered later, a test's, is labelled too). A function, not a list made at load: the channel folders
 * import this module.
 */
export function metricChannels(): readonly string[] {
  return [...namedChannelIds(), ...MESSAGE_CHANNELS];
}

/** Distinct values kept per free label (a limit's bucket, a failure's reason); the rest count as "other". */
export const MAX_FREE_VALUES = 24;

const MESSAGE_CHANNEL_SET = new Set<string>(MESSAGE_CHANNELS);
const OUTCOMES = new Set<string>(TURN_OUTCOMES);

export function channelLabel(channel: string | undefined): string {
  return channel && (MESSAGE_CHANNEL_SET.has(channel) || isNamedChannel(channel)) ? channel : 'other';
}

export function langLabel(lang: string | undefined): 'ms' | 'en' | 'other' {
  return lang === 'ms' || lang === 'en' ? lang : 'other';
}

/** A bounded set of label values for one free label. */
class FreeLabel {
  private readonly seen = new Set<string>();

  value(raw: string | undefined): string {
    const v = (raw ?? '')
      .toLowerCase()
      .slice(0, 40)
      .replace(/[^a-z0-9_]/g, '_');
    if (v === '' || !/^[a-z]/.test(v)) return 'other';
    if (this.seen.has(v)) return v;
    if (this.seen.size >= MAX_FREE_VALUES) return 'other';
    this.seen.add(v);
    return v;
  }
}

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event-loop lag, handles): prom-client's default collectors (default true). */
  processMetrics?: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly turns: Counter<'channel' | 'lang' | 'outcome'>;
  private readonly turnSeconds: Histogram<'channel'>;
  private readonly recognitionConfidence: Histogram<'decision'>;
  private readonly recognitionSeconds: Histogram;
  private readonly rateLimitRefusals: Counter<'limit'>;
  private readonly rateLimitStoreFailures: Counter<'limit' | 'outcome'>;
  private readonly smsSent: Counter;
  private readonly smsFailed: Counter;
  private readonly smsBudget: Counter;
  private readonly mailSent: Counter;
  private readonly mailFailed: Counter;
  private readonly dbErrors: Counter;
  private readonly outboundTotal: Counter<'channel' | 'outcome' | 'reason'>;
  private readonly outboundDepth: Gauge<'channel'>;
  private readonly feedbackTotal: Counter<'vote'>;
  private readonly knowledgeReloads: Counter<'outcome'>;
  private readonly depthSources: Array<() => Promise<Array<{ channel: string; depth: number }>>> = [];
  private readonly limitLabel = new FreeLabel();
  private readonly reasonLabel = new FreeLabel();

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.turns = new Counter({
      name: 'bot_turns_total',
      help: 'Message turns by channel, language and outcome',
      labelNames: ['channel', 'lang', 'outcome'],
      registers,
    });
    this.turnSeconds = new Histogram({
      name: 'bot_turn_duration_seconds',
      help: 'Time to run a message turn (the bot, state saved, replies released)',
      labelNames: ['channel'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.recognitionConfidence = new Histogram({
      name: 'bot_recognition_confidence',
      help: 'Confidence (0..1) of the best knowledge entry for a question, by the decision taken',
      labelNames: ['decision'],
      buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
      registers,
    });
    this.recognitionSeconds = new Histogram({
      name: 'bot_recognition_duration_seconds',
      help: 'Time the recognizer took to match one question',
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers,
    });
    this.rateLimitRefusals = new Counter({
      name: 'bot_rate_limit_refusals_total',
      help: 'Requests and messages refused by a rate limit',
      labelNames: ['limit'],
      registers,
    });
    this.rateLimitStoreFailures = new Counter({
      name: 'bot_rate_limit_store_failures_total',
      help: 'Rate-limit hits the database could not count',
      labelNames: ['limit', 'outcome'],
      registers,
    });
    this.smsSent = new Counter({ name: 'bot_sms_sent_total', help: 'SMS handed to the provider (or the local outbox folder)', registers });
    this.smsFailed = new Counter({ name: 'bot_sms_failed_total', help: 'SMS given up after retries or expiry', registers });
    this.smsBudget = new Counter({
      name: 'bot_sms_budget_exhausted_total',
      help: 'Code requests refused because the hourly SMS budget (SMS_HOURLY_BUDGET) was spent',
      registers,
    });
    this.mailSent = new Counter({ name: 'bot_mail_sent_total', help: 'E-mails handed to the mail transport', registers });
    this.mailFailed = new Counter({ name: 'bot_mail_failed_total', help: 'E-mails given up after the last attempt', registers });
    this.dbErrors = new Counter({ name: 'bot_database_errors_total', help: 'Database queries that failed', registers });
    this.outboundTotal = new Counter({
      name: 'bot_outbound_messages_total',
      help: 'Messages to customers outside the request/response of a turn, by channel, outcome (sent, retried, failed) and reason',
      labelNames: ['channel', 'outcome', 'reason'],
      registers,
    });
    const depthSources = this.depthSources;
    this.outboundDepth = new Gauge({
      name: 'bot_outbound_queue_depth',
      help: 'Messages waiting in the outbound queues, by channel',
      labelNames: ['channel'],
      registers,
      // read at scrape time from the registered sources (the outboxes' pending rows); a failing source is skipped
      async collect() {
        for (const source of depthSources) {
          try {
            for (const { channel, depth } of await source()) this.set({ channel: channelLabel(channel) }, depth);
          } catch {
            /* the database away: the last value stays (bot_database_errors_total counts the failure) */
          }
        }
      },
    });
    this.feedbackTotal = new Counter({
      name: 'bot_answer_feedback_total',
      help: 'Answers customers rated, by vote (helpful, not_helpful)',
      labelNames: ['vote'],
      registers,
    });
    this.knowledgeReloads = new Counter({
      name: 'bot_knowledge_reloads_total',
      help: 'Rebuilds of the recognizer after a knowledge overlay change, by outcome',
      labelNames: ['outcome'],
      registers,
    });
  }

  turn(channel: string | undefined, lang: string | undefined, outcome: TurnOutcome): void {
    this.turns.inc({ channel: channelLabel(channel), lang: langLabel(lang), outcome: OUTCOMES.has(outcome) ? outcome : 'other' });
  }

  turnDuration(channel: string | undefined, seconds: number): void {
    this.turnSeconds.observe({ channel: channelLabel(channel) }, seconds);
  }

  recognition(decision: 'answer' | 'clarify' | 'fallback', confidence: number, seconds: number): void {
    this.recognitionConfidence.observe({ decision }, Math.max(0, Math.min(1, confidence)));
    this.recognitionSeconds.observe(seconds);
  }

  rateLimitRefusal(limit: string): void {
    this.rateLimitRefusals.inc({ limit: this.limitLabel.value(limit) });
  }

  rateLimitStoreFailure(limit: string, outcome: 'local' | 'thrown'): void {
    this.rateLimitStoreFailures.inc({ limit: this.limitLabel.value(limit), outcome });
  }

  sms(outcome: 'sent' | 'failed' | 'budget_exhausted'): void {
    (outcome === 'sent' ? this.smsSent : outcome === 'failed' ? this.smsFailed : this.smsBudget).inc();
  }

  mail(outcome: 'sent' | 'failed'): void {
    (outcome === 'sent' ? this.mailSent : this.mailFailed).inc();
  }

  databaseError(): void {
    this.dbErrors.inc();
  }

  /**
   * One delivery attempt of a message to a customer outside a turn's response (WhatsApp Graph, a proactive
   * Bot Framework message, the durable outbound queue): sent, retried or failed, and why (an error code or a
   * short word: "http_429", "timeout", "window_closed"; reduced to a bounded set of label values).
   */
  outbound(channel: string | undefined, outcome: 'sent' | 'retried' | 'failed', reason = 'none'): void {
    this.outboundTotal.inc({ channel: channelLabel(channel), outcome, reason: outcome === 'sent' ? 'none' : this.reasonLabel.value(reason) });
  }

  /** A source of queue depths read at every scrape (e.g. the pending rows of an outbox table). */
  addQueueDepthSource(source: () => Promise<Array<{ channel: string; depth: number }>>): void {
    this.depthSources.push(source);
  }

  /** The outbound queue's depth for a channel (set by the queue's worker each round). */
  outboundQueueDepth(channel: string | undefined, depth: number): void {
    this.outboundDepth.set({ channel: channelLabel(channel) }, depth);
  }

  feedback(vote: 'helpful' | 'not_helpful'): void {
    this.feedbackTotal.inc({ vote });
  }

  knowledgeReload(outcome: 'applied' | 'failed'): void {
    this.knowledgeReloads.inc({ outcome });
  }

  /** The text exposition format, and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** A metric's current values (for tests and the dashboard). */
  async values(name: string): Promise<Array<{ labels: Record<string, string | number>; value: number; metricName?: string }>> {
    const metric = this.registry.getSingleMetric(name);
    if (!metric) return [];
    return (await metric.get()).values as Array<{ labels: Record<string, string | number>; value: number; metricName?: string }>;
  }

  /** The number of distinct label sets a registry holds over every metric (the cardinality test). */
  async seriesCount(): Promise<number> {
    let n = 0;
    for (const m of await this.registry.getMetricsAsJSON()) n += (m as { values: unknown[] }).values.length;
    return n;
  }
}
