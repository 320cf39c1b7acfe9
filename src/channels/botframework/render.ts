/**
 * The Bot Framework connector's renderer: the channel-neutral reply (src/bot/reply.ts) arrives as a message
 * activity carrying its Adaptive Card; channels that do not show Adaptive Cards get the text alone (the
 * reply's text always says what the card shows). Teams' own limits are applied before this by the Teams
 * middleware (src/channels/teams.ts); WhatsApp renders cards as text in src/channels/whatsapp/render.ts.
 */
import type { Activity } from 'botbuilder';

/** Connector channels that render Adaptive Cards. */
export const CARD_CHANNELS: ReadonlySet<string> = new Set(['webchat', 'directline', 'emulator', 'msteams', 'test']);

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

/** Mutates and returns the activity: Adaptive Cards removed where the channel does not show them. */
export function renderForConnector(activity: Partial<Activity>, channelId: string | undefined): Partial<Activity> {
  if (activity.type !== 'message' || !activity.attachments?.length || CARD_CHANNELS.has(channelId ?? '')) return activity;
  const kept = activity.attachments.filter((a) => a.contentType !== ADAPTIVE);
  activity.attachments = kept.length > 0 ? kept : undefined;
  return activity;
}
