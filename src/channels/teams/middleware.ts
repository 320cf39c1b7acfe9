/**
 * Microsoft Teams specifics, as botbuilder middleware on the Bot Framework adapter (`adapter.use(...)`); it acts
 * on channelId "msteams" only and leaves the bot's routing alone:
 * - inbound: the bot's @mention is removed from messages (channels and group chats address the bot by name),
 *   other mentions keep their name without the markup; an Adaptive Card button press arriving as a value
 *   becomes the choice's text;
 * - install: when the bot itself is added (personal, group chat or team) the bot's usual welcome is sent, once;
 *   people joining a team or group chat later are not greeted in the shared conversation;
 * - a bare @mention (nothing else said) is taken as a hello: the bot greets as on install;
 * - a card button press whose value names no field the bot knows gets a short "that button is no longer in
 *   use" answer (channels.teams.unknown-submit) instead of the "text only" one;
 * - outbound: at most 3 suggested actions, and only in personal chats (Teams shows none in channels and group
 *   chats) and on messages without attachments (Teams hides suggested actions on a message with a card:
 *   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/prompt-suggestions):
 *   more choices, choices in a shared conversation, or choices beside a card become Action.Submit buttons
 *   (imBack-equivalent) inside the card; every Adaptive Card is held to version 1.5 and to Teams' message size.
 */
import { type Activity, type Attachment, CardFactory, type Middleware, type TurnContext } from 'botbuilder';
import type { MessageCatalog } from '../../language/catalog';
import type { Logger } from '../../logging';

export const TEAMS_CHANNEL = 'msteams';
export const TEAMS_MAX_SUGGESTED_ACTIONS = 3;
/** The newest Adaptive Card schema every Teams client renders. */
export const TEAMS_CARD_VERSION = '1.5';
/** Teams refuses messages over about 28 KB; cards are kept well under it. */
export const TEAMS_MAX_CARD_BYTES = 24 * 1024;
/** Buttons one card carries (more would scroll out of sight). */
export const TEAMS_MAX_CARD_CHOICES = 10;

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

export interface TeamsMiddlewareOptions {
  log?: Logger;
  /** For the answer to a card button the bot does not know (without it such a press reaches the bot as is). */
  catalog?: MessageCatalog;
}

interface Mention {
  type?: string;
  text?: string;
  mentioned?: { id?: string };
}

const MAX_MENTIONS = 50;

/**
 * The message text without the bot's @mention (and without the markup of other mentions).
 * Not TurnContext.removeRecipientMention: that removes only the first mention, and botbuilder's getMentions
 * throws on an entity without a `type` or a mention without `mentioned` (text from the wire); this skips them.
 * The tag patterns stop at the next "<", so their cost stays linear in the text's length (the earlier
 * `<at[^>]*>(.*?)</at>` took 14 s on 250 kB of "<at x").
 */
export function stripMentions(activity: Partial<Activity>): string {
  let text = activity.text ?? '';
  const botId = activity.recipient?.id;
  // a real message mentions a handful of people: more entities than that are not read (bounded cost)
  for (const entity of ((activity.entities ?? []) as Mention[]).slice(0, MAX_MENTIONS)) {
    if (entity?.type !== 'mention' || typeof entity.text !== 'string' || !entity.text) continue;
    if (botId && entity.mentioned?.id === botId) text = text.split(entity.text).join(' ');
  }
  return text
    .replace(/<at\b[^<>]*>/gi, '')
    .replace(/<\/at>/gi, '')
    .replace(/&nbsp;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function versionNumber(v: unknown): number {
  const n = typeof v === 'string' ? Number.parseFloat(v) : NaN;
  return Number.isFinite(n) ? n : NaN;
}

/** A card Teams renders: version at most 1.5 (a newer card is declared 1.5; Teams ignores what it does not know). */
export function fitCard(card: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...card, type: 'AdaptiveCard' };
  const v = versionNumber(out.version);
  if (!(v <= Number(TEAMS_CARD_VERSION))) out.version = TEAMS_CARD_VERSION;
  out.$schema ??= 'http://adaptivecards.io/schemas/adaptive-card.json';
  return out;
}

/** Choices as a card of Action.Submit buttons that post their value as the user's message (imBack). */
export function choicesCard(choices: Array<{ title: string; value: string }>): Record<string, unknown> {
  return fitCard({
    type: 'AdaptiveCard',
    version: TEAMS_CARD_VERSION,
    body: choices.slice(0, TEAMS_MAX_CARD_CHOICES).map((c) => ({
      type: 'ActionSet',
      actions: [{ type: 'Action.Submit', title: c.title, data: { msteams: { type: 'imBack', value: c.value }, choice: c.value } }],
    })),
  });
}

/** Renders a reply for Teams (see the header). Mutates and returns the activity. */
export function adaptForTeams(activity: Partial<Activity>, shared: boolean, log?: Logger): Partial<Activity> {
  if (activity.type !== 'message') return activity;
  const actions = activity.suggestedActions?.actions ?? [];
  const choices = actions
    .filter((a) => a.type === 'imBack' || a.type === 'postBack' || a.type === 'messageBack')
    .map((a) => ({ title: a.title ?? String(a.value ?? ''), value: typeof a.value === 'string' ? a.value : (a.text ?? a.title ?? '') }))
    .filter((c) => c.title && c.value);
  let attachments: Attachment[] = (activity.attachments ?? []).map((att) =>
    att.contentType === ADAPTIVE && att.content && typeof att.content === 'object'
      ? { ...att, content: fitCard(att.content as Record<string, unknown>) }
      : att,
  );
  const hasCard = attachments.some((a) => a.contentType === ADAPTIVE);
  if (choices.length > 0 && (shared || hasCard || choices.length > TEAMS_MAX_SUGGESTED_ACTIONS)) {
    activity.suggestedActions = undefined;
    if (choices.length > TEAMS_MAX_CARD_CHOICES) log?.warn({ choices: choices.length }, 'Teams card shows the first choices only');
    const buttons = choicesCard(choices);
    const existing = attachments.findIndex((a) => a.contentType === ADAPTIVE);
    if (existing >= 0) {
      // the buttons go under the card the reply already has
      const card = attachments[existing]!.content as Record<string, unknown>;
      const body = Array.isArray(card.body) ? card.body : [];
      attachments[existing] = { ...attachments[existing]!, content: { ...card, body: [...body, ...(buttons.body as unknown[])] } };
    } else {
      attachments.push(CardFactory.adaptiveCard(buttons));
    }
  }
  attachments = attachments.filter((att) => {
    if (att.contentType !== ADAPTIVE) return true;
    const size = Buffer.byteLength(JSON.stringify(att.content));
    if (size <= TEAMS_MAX_CARD_BYTES) return true;
    log?.warn({ bytes: size }, 'Adaptive Card too large for Teams; the text stands alone');
    return false;
  });
  activity.attachments = attachments.length > 0 ? attachments : undefined;
  return activity;
}

export function createTeamsMiddleware(options: TeamsMiddlewareOptions = {}): Middleware {
  const log = options.log;
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const activity = context.activity;
      if (activity.channelId !== TEAMS_CHANNEL) return next();
      const conversationType = activity.conversation?.conversationType;
      const shared = conversationType === 'channel' || conversationType === 'groupChat';

      if (activity.type === 'message') {
        const value = activity.value as { choice?: unknown } | undefined;
        if (!activity.text && typeof value?.choice === 'string') activity.text = value.choice;
        else if (!activity.text && value && typeof value === 'object' && options.catalog) {
          // a card from an older version of the bot (or another app's card): nothing here says what it meant,
          // nor in which language the customer writes (a press has no text): both languages, as the welcome
          log?.info({ fields: Object.keys(value).slice(0, 5) }, 'Teams card submit without a known field');
          await context.sendActivity({ type: 'message', text: options.catalog.both('channels.teams.unknown-submit') });
          return;
        } else {
          const hadText = !!activity.text?.trim();
          activity.text = stripMentions(activity);
          if (hadText && !activity.text && !(activity.attachments ?? []).some((a) => !a.contentType?.startsWith('text/html'))) {
            // "@Support Bot" and nothing else: a hello, answered with the welcome
            activity.type = 'conversationUpdate';
            activity.membersAdded = [{ id: activity.from?.id || 'teams-user', name: activity.from?.name ?? '' }];
          }
        }
      } else if (activity.type === 'conversationUpdate' && activity.membersAdded?.length) {
        const botId = activity.recipient?.id;
        if (botId && activity.membersAdded.some((m) => m.id === botId)) {
          // the app was installed: greet once, as the bot greets a new member elsewhere
          activity.membersAdded = [{ id: activity.from?.id || 'teams-installer', name: activity.from?.name ?? '' }];
        } else if (shared) {
          activity.membersAdded = [];
        }
      }

      context.onSendActivities(async (_ctx, activities, nextSend) => {
        for (const a of activities) adaptForTeams(a, shared, log);
        return nextSend();
      });
      await next();
    },
  };
}
