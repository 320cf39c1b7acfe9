/**
 * The one channel-neutral output of the bot and its dialogs: text, optional choices, optional card.
 * toActivity renders it as a Bot Framework message (suggested actions, Adaptive Card attachment); each
 * channel's renderer under src/channels adapts that activity (Teams limits and cards, WhatsApp buttons and
 * lists, connector channels without cards), so neither the bot nor a dialog checks a channel.
 */
import { ActionTypes, type Activity, ActivityTypes, CardFactory } from 'botbuilder';
import { CARD_CHANNELS } from '../channels/botframework/render';
import type { Lang } from '../knowledge/types';

export interface Choice {
  /** The button's label. */
  title: string;
  /** What the button sends back as the customer's message (the text a text-only channel returns). */
  value: string;
  /** A longer description where a channel can show one beside the label (e.g. a WhatsApp list row). */
  description?: string;
  /** What the press means, carried as the activity's `value.choice` (e.g. "start:prorata"); default `value`. */
  id?: string;
}

/** The choice a button press carried (messageBack `value.choice`), if the press came with one. */
export function choiceOf(activity: Partial<Activity>): string | undefined {
  const value = activity.value as { choice?: unknown } | undefined;
  return value && typeof value.choice === 'string' ? value.choice.slice(0, 200) : undefined;
}

export interface Reply {
  text: string;
  choices?: Choice[];
  /** An Adaptive Card (JSON object) shown where the channel shows cards; `text` stands in elsewhere. */
  card?: Record<string, unknown>;
  lang?: Lang;
}

/**
 * @param channelId the channel the activity goes to: on one that shows cards (CARD_CHANNELS) a reply with a card
 * is the card alone; elsewhere the text alone. Without it, both, and the channel's renderer decides.
 */
export function toActivity(reply: Reply, channelId?: string): Partial<Activity> {
  const activity: Partial<Activity> = {
    type: ActivityTypes.Message,
    text: reply.text,
    textFormat: 'plain',
  };
  if (reply.lang) activity.locale = reply.lang === 'ms' ? 'ms-MY' : 'en-MY';
  if (reply.choices && reply.choices.length > 0) {
    activity.suggestedActions = {
      to: [],
      // messageBack (issue 15): the press carries what it means in `value`, so the bot need not match label
      // text; `text` is what a channel without messageBack sends back, `displayText` what the chat shows.
      // https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-add-suggested-actions
      // The description rides in channelData: a channel that can show it (a WhatsApp list row) reads it there.
      actions: reply.choices.map((c) => ({
        type: ActionTypes.MessageBack,
        title: c.title,
        text: c.value,
        displayText: c.title,
        value: { choice: c.id ?? c.value },
        ...(c.description ? { channelData: { description: c.description } } : {}),
      })),
    };
  }
  if (reply.card && (channelId === undefined || CARD_CHANNELS.has(channelId))) {
    // the card, its text as the card's fallbackText (what a client that cannot render the card shows, per the
    // Adaptive Card schema: https://adaptivecards.io/explorer/AdaptiveCard.html) and as the activity's summary
    activity.attachments = [CardFactory.adaptiveCard({ ...reply.card, fallbackText: reply.text })];
    activity.summary = reply.text.split('\n')[0];
    // the result once (issue 15): on a channel that shows cards, the card alone; with no channel named, the
    // channel's renderer decides (src/channels/botframework/render.ts)
    if (channelId !== undefined) delete activity.text;
  }
  return activity;
}
