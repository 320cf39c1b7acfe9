/**
 * The one channel-neutral output of the bot and its dialogs: text, optional choices, optional card.
 * toActivity renders it as a Bot Framework message (suggested actions, Adaptive Card attachment); each
 * channel's renderer under src/channels adapts that activity (Teams limits and cards, WhatsApp buttons and
 * lists, connector channels without cards), so neither the bot nor a dialog checks a channel.
 */
import { ActionTypes, type Activity, ActivityTypes, CardFactory } from 'botbuilder';
import type { Lang } from '../knowledge/types';

export interface Choice {
  /** The button's label. */
  title: string;
  /** What the button sends back as the customer's message. */
  value: string;
  /** A longer description where a channel can show one beside the label (e.g. a WhatsApp list row). */
  description?: string;
}

export interface Reply {
  text: string;
  choices?: Choice[];
  /** An Adaptive Card (JSON object) shown where the channel shows cards; `text` stands in elsewhere. */
  card?: Record<string, unknown>;
  lang?: Lang;
}

/**
 * @param _channelId unused: the channel's renderer decides what it shows (kept so that callers passing it
 * need not change).
 */
export function toActivity(reply: Reply, _channelId?: string): Partial<Activity> {
  const activity: Partial<Activity> = {
    type: ActivityTypes.Message,
    text: reply.text,
    textFormat: 'plain',
  };
  if (reply.lang) activity.locale = reply.lang === 'ms' ? 'ms-MY' : 'en-MY';
  if (reply.choices && reply.choices.length > 0) {
    activity.suggestedActions = {
      to: [],
      // the description rides in channelData: a channel that can show it (a WhatsApp list row) reads it there
      actions: reply.choices.map((c) => ({
        type: ActionTypes.ImBack,
        title: c.title,
        value: c.value,
        ...(c.description ? { channelData: { description: c.description } } : {}),
      })),
    };
  }
  if (reply.card) {
    activity.attachments = [CardFactory.adaptiveCard(reply.card)];
  }
  return activity;
}
