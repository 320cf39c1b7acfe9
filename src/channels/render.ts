/**
 * The renderings channels share. A channel-neutral reply (src/bot/reply.ts toActivity) arrives with its text
 * and, when it has one, its Adaptive Card, whose fallbackText is that same text: the card and the text say
 * the same thing, and a channel shows one of them (issue 15: the result once).
 */
import type { Activity, Attachment } from 'botbuilder';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** An Adaptive Card that stands for the activity's text (toActivity made it from the same reply). */
function isReplyCard(activity: Partial<Activity>, attachment: Attachment): boolean {
  const content = attachment.content as { fallbackText?: unknown } | undefined;
  return attachment.contentType === ADAPTIVE_CARD && typeof activity.text === 'string' && content?.fallbackText === activity.text;
}

/** For a channel that shows cards: a reply with a card is the card alone. Mutates and returns the activity. */
export function cardAlone(activity: Partial<Activity>): Partial<Activity> {
  if (activity.type !== 'message' || !activity.attachments?.some((a) => isReplyCard(activity, a))) return activity;
  delete activity.text;
  return activity;
}

/**
 * For a channel without cards: a reply with a card is its text alone (`drop: 'all'` also removes every
 * other Adaptive Card). Mutates and returns the activity.
 */
export function textAlone(activity: Partial<Activity>, drop: 'reply' | 'all' = 'reply'): Partial<Activity> {
  if (activity.type !== 'message' || !activity.attachments?.length) return activity;
  const hadReplyCard = activity.attachments.some((a) => isReplyCard(activity, a));
  const kept = activity.attachments.filter((a) => !(drop === 'all' ? a.contentType === ADAPTIVE_CARD : isReplyCard(activity, a)));
  activity.attachments = kept.length > 0 ? kept : undefined;
  // the summary stands for a card (toActivity sets it with one)
  if (hadReplyCard) delete activity.summary;
  return activity;
}
