/**
 * The one channel-neutral output of the bot and its dialogs: text, optional choices, optional card.
 * toActivity renders it as a Bot Framework message (suggested actions, Adaptive Card attachment); channel
 * edges (Teams limits, WhatsApp buttons and lists) adapt that activity, so no dialog checks a channel.
 */
import { ActionTypes, type Activity, ActivityTypes, CardFactory } from 'botbuilder';
import type { Lang } from '../knowledge/types';

export interface Choice {
  /** The button's label. */
  title: string;
  /** What the button sends back as the customer's message. */
  value: string;
}

export interface Reply {
  text: string;
  choices?: Choice[];
  /** An Adaptive Card (JSON object) shown where the channel shows cards; `text` stands in elsewhere. */
  card?: Record<string, unknown>;
  lang?: Lang;
}

/** Channels that show Adaptive Cards. */
const CARD_CHANNELS = new Set(['webchat', 'directline', 'emulator', 'msteams', 'test']);

export function toActivity(reply: Reply, channelId: string): Partial<Activity> {
  const activity: Partial<Activity> = {
    type: ActivityTypes.Message,
    text: reply.text,
    textFormat: 'plain',
  };
  if (reply.lang) activity.locale = reply.lang === 'ms' ? 'ms-MY' : 'en-MY';
  if (reply.choices && reply.choices.length > 0) {
    activity.suggestedActions = {
      to: [],
      actions: reply.choices.map((c) => ({ type: ActionTypes.ImBack, title: c.title, value: c.value })),
    };
  }
  if (reply.card && CARD_CHANNELS.has(channelId)) {
    // the result once (issue 15): the card alone, its text as the card's fallbackText (what a client that
    // cannot render the card shows, per the Adaptive Card schema: https://adaptivecards.io/explorer/AdaptiveCard.html)
    // and as the activity's summary (notifications, screen readers' preview)
    activity.attachments = [CardFactory.adaptiveCard({ ...reply.card, fallbackText: reply.text })];
    delete activity.text;
    activity.summary = reply.text.split('\n')[0];
  }
  return activity;
}
