/**
 * The one channel-neutral output of the bot and its dialogs: text, optional choices, optional card.
 * toActivity makes it a Bot Framework message (suggested actions, Adaptive Card attachment) that names no
 * channel; the renderer of the turn's channel (src/channels/<channel>/, found through src/channels/index.ts)
 * decides what of it the channel shows (the card alone or the text alone, Teams' limits, WhatsApp's buttons and
 * lists), so neither the bot nor a dialog checks a channel.
 */
import { ActionTypes, type Activity, ActivityTypes, CardFactory } from 'botbuilder';
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
 * The reply as a message activity. A reply with a card carries both the card and its text: the card's
 * fallbackText is the reply's text, which is how a channel's renderer knows the two say the same and shows one
 * (src/channels/render.ts: cardAlone, textAlone).
 */
/** The locale a reply in `lang` carries (the web page follows it: src/channels/directline). */
export function localeOf(lang: Lang): string {
  return lang === 'ms' ? 'ms-MY' : 'en-MY';
}

export function toActivity(reply: Reply): Partial<Activity> {
  const activity: Partial<Activity> = {
    type: ActivityTypes.Message,
    text: reply.text,
    textFormat: 'plain',
  };
  if (reply.lang) activity.locale = localeOf(reply.lang);
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
  if (reply.card) {
    // the card, its text as the card's fallbackText (what a client that cannot render the card shows, per the
    // Adaptive Card schema: https://adaptivecards.io/explorer/AdaptiveCard.html) and as the activity's summary;
    // the result once (issue 15): the channel's renderer keeps the card or the text
    activity.attachments = [CardFactory.adaptiveCard({ ...reply.card, fallbackText: reply.text })];
    activity.summary = reply.text.split('\n')[0];
  }
  return activity;
}
