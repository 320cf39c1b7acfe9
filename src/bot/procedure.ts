/**
 * What the router asks of the active procedure before treating a message as something else (a question,
 * another procedure): does this message give a value you are waiting for? Procedures on the slot engine
 * (dialogs/engine.ts) answer it; others (waterfalls) are taken to absorb nothing.
 */
import type { TurnContext } from 'botbuilder';
import type { Dialog, DialogContext } from 'botbuilder-dialogs';
import type { ProcedureOptions } from './supportBot';

export interface AbsorbingDialog {
  absorbs(dc: DialogContext, text: string): boolean;
}

export function absorbs(dialog: Dialog | undefined, dc: DialogContext, text: string): boolean {
  const candidate = dialog as Partial<AbsorbingDialog> | undefined;
  return typeof candidate?.absorbs === 'function' ? candidate.absorbs(dc, text) : false;
}

/** Shows a finished procedure's result again (asked why, or in another language); false when it has none to show. */
export async function showAgain(dialog: Dialog | undefined, dc: DialogContext): Promise<boolean> {
  const candidate = dialog as { showAgain?: (dc: DialogContext) => Promise<boolean> } | undefined;
  return typeof candidate?.showAgain === 'function' ? candidate.showAgain(dc) : false;
}

/** Whether a finished procedure's result is computed from its values alone (SlotProcedure.recomputable). */
export function recomputable(dialog: Dialog | undefined): boolean {
  return (dialog as { recomputable?: boolean } | undefined)?.recomputable === true;
}

/** Whether a message only says again values the slot procedure already holds (SlotProcedure.restatesOnly). */
export function restatesOnly(dialog: Dialog | undefined, dc: DialogContext, text: string): boolean {
  const candidate = dialog as { restatesOnly?: (dc: DialogContext, text: string) => boolean } | undefined;
  return typeof candidate?.restatesOnly === 'function' ? candidate.restatesOnly(dc, text) : false;
}

/** Whether the dialog runs on the slot engine (then an FAQ question midway is answered and the procedure resumes). */
export function isSlotProcedure(dialog: Dialog | undefined): boolean {
  return typeof (dialog as Partial<AbsorbingDialog> | undefined)?.absorbs === 'function';
}

/** The values a running slot procedure holds (undefined for other dialogs). */
export function slotValues(dialog: Dialog | undefined, dc: DialogContext): object | undefined {
  return isSlotProcedure(dialog) ? (dc.activeDialog?.state.engine as { values?: object } | undefined)?.values : undefined;
}

/** A procedure whose work is done and that only offers next steps (reported as no open procedure). */
export function isFinished(dialog: Dialog | undefined, dc: DialogContext): boolean {
  const candidate = dialog as { finished?: (dc: DialogContext) => boolean } | undefined;
  return typeof candidate?.finished === 'function' ? candidate.finished(dc) : false;
}

/**
 * The procedure the active one's question offers to start ("Shall I raise a ticket so customer service updates
 * your account's e-mail?"): asking for that procedure in words is the yes to the offer, not a switch that would
 * lose what the offer carries. Procedures that do not say offer none.
 */
export function offeredBy(dialog: Dialog | undefined, dc: DialogContext): string | undefined {
  const candidate = dialog as { offering?: (dc: DialogContext) => string | undefined } | undefined;
  return typeof candidate?.offering === 'function' ? candidate.offering(dc) : undefined;
}

/**
 * The procedure that handed the active one over (a ticket raised because the migration could not help): going
 * back to it by recognising a message is a loop; only a clause that asks for it in words goes back.
 */
export function handedOverFrom(dialog: Dialog | undefined, dc: DialogContext): string | undefined {
  const candidate = dialog as { cameFrom?: (dc: DialogContext) => string | undefined } | undefined;
  return typeof candidate?.cameFrom === 'function' ? candidate.cameFrom(dc) : undefined;
}

/**
 * Whether the active procedure hears the customer's account of a problem (a ticket): there, a message that only
 * tells ("Billing. My April bill charged the full RM80 instead of pro-rata after I downgraded to RM58 on 11
 * April") is no request for the procedure its values fit. Procedures that do not say are taken to say no.
 */
export function hearsAccount(dialog: Dialog | undefined): boolean {
  const candidate = dialog as { hearsAccount?: () => boolean } | undefined;
  return typeof candidate?.hearsAccount === 'function' ? candidate.hearsAccount() : false;
}

/**
 * What the active procedure already knows that `target` takes when the customer asks for it in words (the
 * eligibility result's bill: "and how much will my first month be?" after a prepaid-to-postpaid check is a first
 * bill of the plan checked). Procedures that do not say hand over nothing.
 */
export function handsOver(dialog: Dialog | undefined, dc: DialogContext, target: string): object | undefined {
  const candidate = dialog as { prefillFor?: (dc: DialogContext, target: string) => object | undefined } | undefined;
  return typeof candidate?.prefillFor === 'function' ? candidate.prefillFor(dc, target) : undefined;
}

/**
 * What the active procedure hands a ticket asked for in words after its result (the verdict a complaint is about:
 * "nak buat aduan pasal ni" after a line found suspended), as the ticket its own offer starts. Others hand nothing.
 */
export function handoverOf(dialog: Dialog | undefined, dc: DialogContext, target: string): ProcedureOptions['handover'] {
  const candidate = dialog as { handoverFor?: (dc: DialogContext, target: string) => ProcedureOptions['handover'] } | undefined;
  return typeof candidate?.handoverFor === 'function' ? candidate.handoverFor(dc, target) : undefined;
}

/**
 * Whether the active procedure's work was already done by a turn that was cut off (a crash) after its commit
 * and before the conversation's state was saved: the restored state still waits for an answer that is no
 * longer needed. The router then closes it and treats the message as a new one (a confirmation still owed
 * reaches the customer through the feature's start-of-turn hook). Procedures that do not say are never stale.
 */
export async function isStale(dialog: Dialog | undefined, dc: DialogContext, text: string): Promise<boolean> {
  const candidate = dialog as { stale?: (dc: DialogContext, text: string) => Promise<boolean> } | undefined;
  return typeof candidate?.stale === 'function' ? candidate.stale(dc, text) : false;
}

const FINISHED = Symbol('finishedProcedure');

/** A procedure finished on this turn with these values: the next message may correct one (SupportBot reopens it). */
export function recordFinished(context: TurnContext, finished: { id: string; values: object }): void {
  context.turnState.set(FINISHED, finished);
}

export function finishedProcedure(context: TurnContext): { id: string; values: object } | undefined {
  return context.turnState.get(FINISHED) as { id: string; values: object } | undefined;
}

/** Whether a message gives at least one value of a procedure (SlotProcedure.givesAnyValue); others say no. */
export function givesAnyValueFor(dialog: Dialog | undefined, text: string, context: TurnContext): boolean {
  const candidate = dialog as { givesAnyValue?: (text: string, context: TurnContext) => boolean } | undefined;
  return typeof candidate?.givesAnyValue === 'function' ? candidate.givesAnyValue(text, context) : false;
}

/** Whether a message answers the question a procedure set aside with `values` was waiting on (SlotProcedure.answersPending). */
export function answersPendingFor(dialog: Dialog | undefined, text: string, values: object): boolean {
  const candidate = dialog as { answersPending?: (text: string, values: object) => boolean } | undefined;
  return typeof candidate?.answersPending === 'function' ? candidate.answersPending(text, values) : false;
}

/**
 * Whether a "what if" right after a procedure's result asks for it again from its values with the one given (see
 * SupportBot): a procedure may say (the eligibility check: "kalau tukar ke postpaid pulak boleh?" names another switch
 * in words); others take a message that gives a number or an address ("what if I switch on 25 April instead?").
 */
export function asksAgainFor(dialog: Dialog | undefined, text: string, context: TurnContext): boolean {
  const candidate = dialog as { asksAgain?: (text: string, context: TurnContext) => boolean } | undefined;
  return typeof candidate?.asksAgain === 'function' ? candidate.asksAgain(text, context) : /\d|@/.test(text);
}

/**
 * Whether a message gives enough of a procedure's values to be a request for it (a number and a plan for the
 * eligibility check): when the recognizer hesitates between entries, one of them a procedure the message
 * clearly fills, the procedure starts. Procedures that do not say are taken to say no.
 */
export function givesValuesFor(dialog: Dialog | undefined, text: string, context: TurnContext): boolean {
  const candidate = dialog as { givesValues?: (text: string, context: TurnContext) => boolean } | undefined;
  return typeof candidate?.givesValues === 'function' ? candidate.givesValues(text, context) : false;
}

/**
 * The words of what a finished procedure's result is about ("switch Postpaid to Prepaid"), in `lang`; undefined when it
 * has none. A question that refers back to the result ("where do I go to do it?") is read with them.
 */
export function topicOf(dialog: Dialog | undefined, dc: DialogContext, lang: 'ms' | 'en'): string | undefined {
  const candidate = dialog as { topicOf?: (dc: DialogContext, lang: 'ms' | 'en') => string | undefined } | undefined;
  return typeof candidate?.topicOf === 'function' ? candidate.topicOf(dc, lang) : undefined;
}

/**
 * Whether a short question asks the procedure about what the channel already proves (the eligibility check of the
 * WhatsApp sender's own line: "hey can i change my plan"). Procedures that do not say are taken to say no.
 */
export function asksOwnLineFor(dialog: Dialog | undefined, text: string, context: TurnContext): boolean {
  const candidate = dialog as { asksOwnLine?: (text: string, context: TurnContext) => boolean } | undefined;
  return typeof candidate?.asksOwnLine === 'function' ? candidate.asksOwnLine(text, context) : false;
}

/**
 * Whether a message gives none of a slot procedure's values, even from scratch ("I want to make a complaint"):
 * said again while the procedure waits for free text, such a request for it restarts it. Procedures that do not
 * say are taken to say no.
 */
export function givesNothingFor(dialog: Dialog | undefined, text: string, context: TurnContext): boolean {
  const candidate = dialog as { givesNothing?: (text: string, context: TurnContext) => boolean } | undefined;
  return typeof candidate?.givesNothing === 'function' ? candidate.givesNothing(text, context) : false;
}
