/**
 * What a channel is to the rest of the bot: one folder under src/channels/ exports one `Channel` from its
 * index.ts, and src/channels/index.ts lists those folders. Everything that depends on the channel a
 * conversation is on (how a reply looks there, whether it shows the "did this help?" buttons, its metric
 * label, how a staff reply reaches it, which ids /api/messages takes) is read from these descriptors, so the
 * bot (src/bot) and the procedures never name a channel.
 */
import type { Activity, Middleware } from 'botbuilder';
import type { Feature, FeatureDeps } from '../features/types';
import type { MessageCatalog } from '../language/catalog';
import type { Logger } from '../logging';
import type { ContinuingAdapter } from '../services/proactive';

/** A channel's feature; with `adapter`, the proactive messenger reaches the channel's ids through it. */
export interface ChannelFeature extends Feature {
  adapter?: ContinuingAdapter;
}

export interface Channel {
  /** The folder's name under src/channels/. */
  name: string;
  /** The activity `channelId` values it serves: metric labels, proactive attachment, what it renders. */
  ids: readonly string[];
  /**
   * Also serves every channel id no channel names (the Bot Framework connector: Slack, Facebook, … through
   * Azure Bot Service). Those ids show text alone and no feedback buttons, and count as "other" in metrics.
   */
  catchAll?: boolean;
  /** Its ids show Adaptive Cards: a reply with a card is sent as the card alone (otherwise as its text alone). */
  cards: boolean;
  /** Its ids show the "did this help?" buttons after an FAQ answer (src/features/insight.ts). */
  feedback: boolean;
  /**
   * Renders one outgoing activity of the bot (a channel-neutral reply made by src/bot/reply.ts toActivity,
   * or any other activity) for `channelId`, one of its ids. Mutates and returns it. Runs in every turn
   * (src/runtime.ts) and again in the Bot Framework adapter for what leaves outside a turn; must be
   * idempotent. The platform's wire format, where the channel has its own, is the adapter's job.
   */
  render(activity: Partial<Activity>, channelId: string): Partial<Activity>;
  /** Its feature (routes, background work, the adapter), built by defaultFeatures (src/features/index.ts). */
  feature?(deps: FeatureDeps): ChannelFeature;
  /**
   * How a message outside a turn (a staff reply) reaches its customers:
   * - 'adapter': its feature's adapter, attached to the proactive messenger for its ids, delivers at once
   *   (the messenger counts the outcome in bot_outbound_messages_total);
   * - 'adapter-outbox': its feature's adapter, attached for its ids, commits to the channel outbox (whose
   *   worker counts the outcome);
   * - 'connector': the Bot Framework adapter, attached for every id no other adapter serves.
   */
  reach: 'adapter' | 'adapter-outbox' | 'connector';
  /** Whether /api/messages (the Bot Framework connector) may carry its ids; false: only its own verified route. */
  viaConnector: boolean;
  /** Of its ids, those /api/messages takes without authentication when the serviceUrl is on this machine. */
  localIds?: readonly string[];
  /** Middleware for its ids on the Bot Framework adapter (Teams: mentions, install welcome, its limits). */
  connectorMiddleware?(options: { log: Logger; catalog: MessageCatalog }): Middleware;
  /**
   * Customers attach files in its conversations, kept in the web chat's AttachmentStore
   * (src/channels/directline/uploads.ts) and shown with the conversation's ticket.
   */
  uploads?: boolean;
}
