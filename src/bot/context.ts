/**
 * What a turn knows beyond the activity: the customer's language for this turn, and whether the active
 * procedure is waiting for free text (then an FAQ-looking message is its answer, not an interruption).
 * Dialogs read and set these through the functions here, never through channel data.
 */
import type { TurnContext } from 'botbuilder';
import type { Lang } from '../knowledge/types';
import type { Lexicon } from '../language/lexicon';
import type { AnalysedText } from '../language/normalize';

const LANG = Symbol('turnLang');
const TEXT_LANG = Symbol('textLang');
const FREE_TEXT = Symbol('freeText');
const VERIFIED_PHONE = Symbol('verifiedPhone');
const CLIENT_ADDRESS = Symbol('clientAddress');
const TURN_TEXT = Symbol('turnText');

/** The turn's text analysed once (SupportBot sets it before any dialog runs). */
export function setTurnText(context: TurnContext, text: AnalysedText): void {
  context.turnState.set(TURN_TEXT, text);
}

export function turnText(context: TurnContext): AnalysedText | undefined {
  return context.turnState.get(TURN_TEXT) as AnalysedText | undefined;
}

/**
 * What a dialog reads a customer's answer with: the turn's analysed text when `text` is that turn's text (a
 * command, yes/no), else `text` itself with the lexicon of the turn (the one loaded from KNOWLEDGE_DIR).
 */
export function turnInput(context: TurnContext, text: string): AnalysedText | string {
  const t = turnText(context);
  return t && t.text === text.trim() ? t : text;
}

/** The lexicon the turn was analysed with (undefined outside SupportBot: callers then use the default). */
export function turnLexicon(context: TurnContext): Lexicon | undefined {
  return turnText(context)?.lex;
}

export function setTurnLang(context: TurnContext, lang: Lang): void {
  context.turnState.set(LANG, lang);
}

/** The language the bot answers in on this turn (set by SupportBot before any dialog runs). */
export function turnLang(context: TurnContext): Lang {
  return (context.turnState.get(LANG) as Lang | undefined) ?? 'ms';
}

/**
 * The language the customer's text is written in (what the recognizer analyses it as); the reply language
 * (turnLang) differs when the customer has asked for one ("in English please") and writes in the other.
 */
export function setTextLang(context: TurnContext, lang: Lang): void {
  context.turnState.set(TEXT_LANG, lang);
}

export function textLang(context: TurnContext): Lang {
  return (context.turnState.get(TEXT_LANG) as Lang | undefined) ?? turnLang(context);
}

export function turnLangIfSet(context: TurnContext): Lang | undefined {
  return context.turnState.get(LANG) as Lang | undefined;
}

/** A procedure's step that asks for free text (a description, a name) marks it, so the bot does not treat the answer as a new question. */
export function expectFreeText(context: TurnContext, expecting: boolean): void {
  context.turnState.set(FREE_TEXT, expecting);
}

export function freeTextExpected(context: TurnContext): boolean | undefined {
  return context.turnState.get(FREE_TEXT) as boolean | undefined;
}

/**
 * A channel edge that has itself verified the sender's phone number (WhatsApp: the signed webhook says who
 * sent the message) records it here, in turn state, which nothing on the wire can set. Procedures that
 * need proof of owning a line use it instead of a one-time code.
 */
export function setVerifiedPhone(context: TurnContext, e164: string): void {
  context.turnState.set(VERIFIED_PHONE, e164);
}

export function verifiedPhone(context: TurnContext): string | undefined {
  return context.turnState.get(VERIFIED_PHONE) as string | undefined;
}

/**
 * The customer's network address as the HTTP edge determined it (the socket address, or X-Forwarded-For
 * read only through trusted proxy hops). Set by the channel route that received the turn when it knows the
 * customer's own address (web chat, local /api/messages); undefined when a platform relays the message
 * (Azure Bot Service, WhatsApp), where the address would be the platform's. Procedures key per-address
 * limits on it.
 */
export function setClientAddress(context: TurnContext, address: string): void {
  context.turnState.set(CLIENT_ADDRESS, address);
}

export function clientAddress(context: TurnContext): string | undefined {
  return context.turnState.get(CLIENT_ADDRESS) as string | undefined;
}

const ANSWERED_BEFORE = Symbol('answeredBefore');

/**
 * The FAQ answered on the previous turn: its entry and the question as asked (personal data masked, at most
 * 300 characters). A procedure asked for now reads its context from it ("If I switch my postpaid to prepaid now,
 * will I get charged a penalty?" answered, then "ok can you check my line anyway, 012-100 0005": that switch).
 */
export interface AnsweredBefore {
  entryId: string;
  text: string;
}

export function setAnsweredBefore(context: TurnContext, answered: AnsweredBefore | undefined): void {
  context.turnState.set(ANSWERED_BEFORE, answered);
}

/** The FAQ answered on the previous turn, if any. */
export function answeredBefore(context: TurnContext): AnsweredBefore | undefined {
  return context.turnState.get(ANSWERED_BEFORE) as AnsweredBefore | undefined;
}

const SET_ASIDE = Symbol('setAside');

/**
 * The procedure set aside when the customer asked for another midway, with the values it had (kept by SupportBot in
 * the conversation's session): asked for again, it starts from them (src/bot/supportBot.ts switchTo; dialogs/engine.ts).
 */
export function setSetAside(context: TurnContext, aside: { id: string; values: object } | undefined): void {
  context.turnState.set(SET_ASIDE, aside);
}

/** The values procedure `id` had when it was set aside, if it was. */
export function setAsideValues(context: TurnContext, id: string): object | undefined {
  const aside = context.turnState.get(SET_ASIDE) as { id: string; values: object } | undefined;
  return aside?.id === id ? aside.values : undefined;
}

const DECLINED_BEFORE = Symbol('declinedBefore');

/** The message the previous turn could not answer ("please rephrase, or shall I raise a ticket?"), set by SupportBot. */
export function setDeclinedBefore(context: TurnContext, text: string | undefined): void {
  context.turnState.set(DECLINED_BEFORE, text);
}

/**
 * The message the previous turn could not answer, if any: a ticket asked for right after it is about it ("I paid my
 * Digi bill last week but it still shows RM45.20 outstanding", then "yes pls open a ticket").
 */
export function declinedBefore(context: TurnContext): string | undefined {
  return context.turnState.get(DECLINED_BEFORE) as string | undefined;
}

const CLARIFIED_BEFORE = Symbol('clarifiedBefore');

/**
 * The entries offered as choices when the previous turn asked "did you mean …?" ("boleh ke saya tukar pelan?"):
 * a value typed next ("012-100 0001") takes up the one procedure among them it fits.
 */
export function setClarifiedBefore(context: TurnContext, entryIds: readonly string[] | undefined): void {
  context.turnState.set(CLARIFIED_BEFORE, entryIds);
}

export function clarifiedBefore(context: TurnContext): readonly string[] | undefined {
  return context.turnState.get(CLARIFIED_BEFORE) as readonly string[] | undefined;
}

const OUTCOMES = Symbol('procedureOutcomes');

/**
 * What a procedure did on this turn, in data (the bill's total, the line checked and its verdict, the ticket
 * created, the FAQ answered): read after the turn by whoever runs it (the blind-script harness,
 * src/cli/eval-procedures.ts), never sent anywhere. Personal data in it stays in process memory.
 */
export type ProcedureOutcome =
  | { procedure: 'prorata'; totalSen: number }
  | { procedure: 'eligibility'; msisdn: string; eligible: boolean; switchType: string; planId?: string }
  | { procedure: 'migration'; linkRequested: boolean }
  | { procedure: 'ticket'; reference: string; category: string }
  /** A ticket's status shown (ticketStatus), or the customer's tickets listed (myTickets). */
  | { procedure: 'ticketStatus' | 'myTickets'; shown: number }
  | { procedure: 'faq'; entryId: string }
  /** A person asked for: queued for staff on duty, or (outside office hours) offered a ticket instead. */
  | { procedure: 'handoff'; status: 'queued' | 'offered' };

export function recordOutcome(context: TurnContext, outcome: ProcedureOutcome): void {
  let list = context.turnState.get(OUTCOMES) as ProcedureOutcome[] | undefined;
  if (!list) context.turnState.set(OUTCOMES, (list = []));
  list.push(outcome);
}

export function turnOutcomes(context: TurnContext): ProcedureOutcome[] {
  return (context.turnState.get(OUTCOMES) as ProcedureOutcome[] | undefined) ?? [];
}

const ACTIVE_PROCEDURE = Symbol('activeProcedure');

/** The procedure still open when the turn ended (set by SupportBot; undefined: none). */
export function setActiveProcedure(context: TurnContext, id: string | undefined): void {
  context.turnState.set(ACTIVE_PROCEDURE, id ?? null);
}

/** The procedure open at the end of the turn: an id, null for none, undefined when the turn did not say. */
export function activeProcedure(context: TurnContext): string | null | undefined {
  return context.turnState.get(ACTIVE_PROCEDURE) as string | null | undefined;
}
