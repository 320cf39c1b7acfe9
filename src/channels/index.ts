/**
 * The channels of the bot, registered in one place. A channel is one folder under src/channels/ whose
 * index.ts exports a `Channel` (src/channels/types.ts): the ids it serves, its renderer, its feature (routes,
 * adapter), how it reaches a customer outside a turn. Adding a channel is adding that folder and naming it
 * in the list in `all()` below (or `registerChannel` from elsewhere); everything else asks this module:
 * - every turn's replies are rendered by the channel's renderer (src/runtime.ts), and what the Bot Framework
 *   adapter sends outside a turn too (src/server/index.ts);
 * - defaultFeatures builds each channel's feature and attaches its adapter to the proactive messenger
 *   (channelFeatures below);
 * - metric labels (src/services/metrics.ts), the "did this help?" buttons (src/features/insight.ts), which
 *   ids /api/messages takes (src/server/index.ts), whose tickets show uploaded files (tickets, console).
 */
import type { Activity, Middleware } from 'botbuilder';
import type { FeatureDeps } from '../features/types';
import type { MessageCatalog } from '../language/catalog';
import type { Logger } from '../logging';
import { AdapterProactiveMessenger } from '../services/proactive';
import { botframework } from './botframework';
import { directline } from './directline';
import { teams } from './teams';
import type { Channel, ChannelFeature } from './types';
import { whatsapp } from './whatsapp';

export type { Channel, ChannelFeature } from './types';

const registered: Channel[] = [];
let builtInsRegistered = false;

/**
 * The registry, with the bot's own channels registered first, on first use: not at module load, because the
 * channel folders import services that ask this module (metric labels), and a module cycle would hand
 * registration a channel whose module is still loading (the compiled server then crashed at start).
 */
function all(): Channel[] {
  if (!builtInsRegistered) {
    builtInsRegistered = true;
    // the bot's own, in the order their features are built
    for (const channel of [whatsapp, directline, teams, botframework]) add(channel);
  }
  return registered;
}

/**
 * Registers a channel. The bot's own are registered first (above); a channel defined elsewhere (a test's) is
 * registered the same way before the runtime is created. Its ids must be new, and only one channel takes the
 * ids nobody names.
 */
export function registerChannel(channel: Channel): void {
  all();
  add(channel);
}

function add(channel: Channel): void {
  for (const id of channel.ids) {
    const owner = registered.find((c) => c.ids.includes(id));
    if (owner) throw new Error(`channel id "${id}" is already served by ${owner.name}`);
  }
  if (channel.catchAll && registered.some((c) => c.catchAll)) throw new Error(`${channel.name}: another channel already serves every other id`);
  if (registered.some((c) => c.name === channel.name)) throw new Error(`a channel named ${channel.name} is already registered`);
  registered.push(channel);
}

/** Every registered channel, in registration order. */
export function channels(): readonly Channel[] {
  return all();
}

/** Every channel id some channel names, in registration order. */
export function namedChannelIds(): string[] {
  return all().flatMap((c) => c.ids);
}

/** Whether a channel names this id (metric labels: other ids are "other"). */
export function isNamedChannel(channelId: string | undefined): boolean {
  return !!channelId && all().some((c) => c.ids.includes(channelId));
}

/** The channel that serves this id: the one naming it, else the one serving every other id. */
export function channelOf(channelId: string | undefined): Channel | undefined {
  const id = channelId ?? '';
  return all().find((c) => c.ids.includes(id)) ?? all().find((c) => c.catchAll);
}

/** Renders one outgoing activity for its channel (see Channel.render). Mutates and returns it. */
export function renderForChannel(activity: Partial<Activity>, channelId: string | undefined): Partial<Activity> {
  return channelOf(channelId)?.render(activity, channelId ?? '') ?? activity;
}

/** Whether the channel shows the "did this help?" buttons (ids only a catch-all channel serves do not). */
export function showsFeedback(channelId: string | undefined): boolean {
  const channel = channelOf(channelId);
  return !!channel?.feedback && channel.ids.includes(channelId ?? '');
}

/** Whether the channel keeps files customers attach (shown with the conversation's ticket). */
export function keepsUploads(channelId: string | undefined): boolean {
  const channel = channelOf(channelId);
  return !!channel?.uploads && channel.ids.includes(channelId ?? '');
}

/** Channel ids /api/messages never takes: those only their own verified route may carry. */
export function ownRouteOnly(channelId: string | undefined): boolean {
  return all().some((c) => !c.viaConnector && c.ids.includes(channelId ?? ''));
}

/** Channel ids /api/messages takes without authentication from a loopback serviceUrl. */
export function localConnectorIds(): string[] {
  return all().flatMap((c) => c.localIds ?? []);
}

/** The channels' middleware for the Bot Framework adapter. */
export function connectorMiddlewares(options: { log: Logger; catalog: MessageCatalog }): Middleware[] {
  return all().flatMap((c) => (c.connectorMiddleware ? [c.connectorMiddleware(options)] : []));
}

/**
 * Builds every channel's feature; a channel reached through its own adapter has that adapter attached to the
 * proactive messenger for each of its ids (counted by the messenger when it delivers at once).
 */
export function channelFeatures(deps: FeatureDeps): ChannelFeature[] {
  const features: ChannelFeature[] = [];
  for (const channel of all()) {
    if (!channel.feature) continue;
    const feature = channel.feature(deps);
    if (channel.reach !== 'connector' && deps.proactive instanceof AdapterProactiveMessenger) {
      if (!feature.adapter) throw new Error(`${channel.name}: its feature has no adapter to reach a customer with`);
      for (const id of channel.ids) deps.proactive.attach(id, feature.adapter, { counted: channel.reach === 'adapter' });
    }
    features.push(feature);
  }
  return features;
}
