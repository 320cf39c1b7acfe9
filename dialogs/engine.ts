/**
 * The slot-filling procedure engine (issue 15). A procedure declares its slots — each with the question that
 * asks for it and the parser of an answer to it — a reader of every value any message gives (`extract`), an
 * optional confirmation and its action. The engine then:
 * - fills any slot from any message, in any order (the first message, or an answer that gives several values);
 * - asks only for what is missing, with the parser's reason when an answer is wrong, and a way out after
 *   MAX_TRIES wrong answers to one question;
 * - takes corrections ("eh salah, …", "bukan, yang betul …", "sorry I meant …", "the correct email is …"): the
 *   values of the correcting message replace the old ones, everything that depended on them is forgotten
 *   (`invalidate`), and a confirmation is asked again — the action never runs on a corrected-away value;
 * - at a confirmation, a message that gives new values is a correction, yes acts, no declines.
 * Cancel, help, the language switch, an FAQ question midway, a request for another procedure and the trigger
 * phrase again are decided before the procedure sees the message (SupportBot.continueProcedure): the router
 * asks `absorbs` whether the message fills a slot of the active procedure before treating it as something else.
 *
 * Why not a WaterfallDialog: a waterfall's steps run in a fixed order, and slot-filling in any order with
 * corrections needs the whole state at every turn; the state here is one plain object (stored with the
 * conversation's eTag like any dialog state).
 */
import type { TurnContext } from 'botbuilder';
import type { DialogContext, DialogInstance, DialogTurnResult } from 'botbuilder-dialogs';
import { Dialog, DialogReason } from 'botbuilder-dialogs';
import { expectFreeText, setAsideValues, turnLang } from '../src/bot/context';
import { type Reply, choiceOf, toActivity } from '../src/bot/reply';
import type { ProcedureOptions } from '../src/bot/supportBot';
import { findCorrection, withoutNegatedValues } from '../src/domain/slots';
import { recordFinished } from '../src/bot/procedure';
import type { Lang, ProcedureId } from '../src/knowledge/types';
import type { MessageCatalog, Vars } from '../src/language/catalog';
import { detectCommand } from '../src/language/commands';
import { type Lexicon, lexicon, phrasePattern } from '../src/language/lexicon';

/** Yes or no at the start of a sentence ("ya betul", "no, that's wrong"; lexicon answerYes / answerNo); a negation wins. */
export function yesNoIn(text: string, lex: Lexicon = lexicon()): 'yes' | 'no' | null {
  const t = text.trim().slice(0, 200);
  if (phrasePattern(lex.answerNo, 'start').test(t)) return 'no';
  if (phrasePattern(lex.answerYes, 'start').test(t)) return 'yes';
  return null;
}

/** Every procedure the bot can run, in one list: the registry (dialogs/registry.ts). */
export { PROCEDURE_IDS } from './registry';

export const MAX_TRIES = 3;
/** Clauses nearest a value said not to be meant that are read for the value replacing it (engine replaceNegated). */
const MAX_NEGATED_CLAUSES = 4;

export type Problem = { key: string; vars?: Vars };

/** An answer to the slot being asked: how it changes the values, or what is wrong with it. */
export type SlotAnswer<V> =
  /** `problem`: an answer taken that is still worth a word (a wrong one-time code: said, not counted as a wrong answer) */
  | { ok: true; apply: (values: V) => void; problem?: Problem }
  | ({ ok: false } & Problem);

export interface Slot<V> {
  name: string;
  /** Whether the slot still needs a value (given the others: a one-sided bill needs one fee). */
  missing(values: V): boolean;
  /** The question (may do work first, e.g. send a one-time code). Undefined: the slot filled itself meanwhile. */
  ask(context: TurnContext, values: V): Promise<Reply | undefined> | Reply | undefined;
  /** An answer to this slot's question. */
  answer(text: string, context: TurnContext, values: V): Promise<SlotAnswer<V>> | SlotAnswer<V>;
  /** The answer is free text (a description): an FAQ-looking answer is not an interruption. */
  freeText?: boolean;
  /** The procedure a yes to this question starts: asking for it in words is that yes (Slot.answer reads it so). */
  offers?: ProcedureId;
  /**
   * `answer` only reads the text (no look-up, nothing counted): the engine may try it on a value the customer says
   * was not meant ("eh bukan 80, 98") to find the slot that holds it.
   */
  pure?: boolean;
  /**
   * The answer is read also in a message that gives other values or corrects one ("eh sori, ke pelan prepaid lain la
   * bkn postpaid. kod: 415764" while the code is asked): a one-time code, which no other slot reads.
   */
  readsBeside?: boolean;
}

/** Values a message gives, whatever was asked: the slots it fills, and problems with values it tried to give. */
export interface Extracted<V> {
  values: Partial<V>;
  problem?: Problem;
  /**
   * Values the message names by their own words ("tukar 11 April": the switch date; "bil mula 1hb": the period),
   * not only by where they stand or by default. Such a value goes to its slot even when another slot is asked.
   */
  named?: (keyof V)[];
}

/** What the action did: the procedure ends, or asks again (a value turned out wrong: the problem is said). */
export type Outcome = { done: true; result?: unknown } | { done: false; problem?: Problem };

export interface EngineState<V> {
  values: V;
  asking?: string;
  confirming?: boolean;
  tries: Record<string, number>;
}

export abstract class SlotProcedure<V extends object> extends Dialog {
  protected abstract readonly slots: Slot<V>[];

  constructor(
    id: ProcedureId,
    protected readonly catalog: MessageCatalog,
  ) {
    super(id);
  }

  /** The values before any message is read (handed over by another procedure, a verified sender). */
  protected abstract initial(options: ProcedureOptions, context: TurnContext): V;
  /** Every value a message gives. */
  protected abstract extract(text: string, context: TurnContext, values: V): Extracted<V>;
  /** The action, once every slot is filled (and confirmed). */
  protected abstract act(context: TurnContext, values: V, dc: DialogContext): Promise<Outcome>;
  /** The confirmation question before acting (undefined: no confirmation). May do work (a look-up). */
  protected confirmation?(context: TurnContext, values: V): Promise<Reply | Outcome | undefined>;
  /** The customer said no at the confirmation. */
  protected declined?(context: TurnContext, values: V, dc: DialogContext): Promise<Outcome>;
  /** Forget what depended on the slots a correction changed (a looked-up account, a verified line). */
  protected invalidate(_values: V, _changed: (keyof V)[]): void {}
  /** Said when an answer to the confirmation is neither yes nor no. */
  protected readonly confirmRetryKey: string = 'engine.confirm.retry';
  /** Yes or no at the confirmation (a procedure may read more: "no, it's not active any more"). */
  protected readYesNo(text: string): 'yes' | 'no' | null {
    const c = detectCommand(text);
    return c === 'yes' || c === 'no' ? c : yesNoIn(text);
  }
  /** Said when the customer gave up after MAX_TRIES wrong answers. */
  protected abstract readonly gaveUpKey: string;
  /**
   * Whether a correction right after the procedure finished reopens it with its values (a bill computed again).
   * A procedure whose action cannot be redone by a correction (a ticket already stored) says no.
   */
  protected readonly reopenable: boolean = true;
  /**
   * Whether the action only shows a result computed from the values (a bill): done again from them it changes nothing,
   * so a language asked for right after the result shows it again in that language (SupportBot). A procedure whose
   * action sends or stores something (a migration link, a ticket) says no.
   */
  readonly recomputable: boolean = false;

  protected lang(context: TurnContext): Lang {
    return turnLang(context);
  }

  protected t(context: TurnContext, key: string, vars?: Vars): string {
    return this.catalog.t(turnLang(context), key, vars);
  }

  protected async send(context: TurnContext, reply: Reply): Promise<void> {
    await context.sendActivity(toActivity({ lang: turnLang(context), ...reply }));
  }

  protected async say(context: TurnContext, key: string, vars?: Vars): Promise<void> {
    await this.send(context, { text: this.t(context, key, vars) });
  }

  /** The message's text, or the value a button carried (messageBack/postBack `value.choice`). */
  static textOf(context: TurnContext): string {
    return choiceOf(context.activity) ?? (context.activity.text ?? '').trim();
  }

  override async beginDialog(dc: DialogContext, options?: ProcedureOptions): Promise<DialogTurnResult> {
    // asked for again after it was set aside for another midway: from the values it had (each procedure's initial
    // takes only the values it knows from a prefill)
    const aside = options?.prefill ? undefined : setAsideValues(dc.context, this.id);
    const opts: ProcedureOptions = { ...(options ?? {}), ...(aside ? { prefill: aside } : {}) };
    const state: EngineState<V> = { values: this.initial(opts, dc.context), tries: {} };
    dc.activeDialog!.state.engine = state;
    let problem: Problem | undefined;
    if (opts.text) {
      // the message that starts it may correct itself too ("0131000002 - wait sorry typo, it's 013-100 0001")
      const correction = findCorrection(opts.text);
      const found = this.extractCorrected(withoutNegatedValues(opts.text), correction, dc.context, state.values);
      // (reopened with its values: "eh bukan 80, 98" right after the bill corrects the slot that held 80)
      const corrected = opts.prefill ? await this.dropReplacement(found, correction, withoutNegatedValues(opts.text), dc.context, state.values) : undefined;
      if (corrected) this.takeValues(state, corrected);
      Object.assign(state.values, found.values);
      // values handed over (a reopened procedure) that the message replaces take what depended on them along
      if (opts.prefill) this.invalidate(state.values, Object.keys(found.values) as (keyof V)[]);
      problem = found.problem;
      // back from being set aside with the answer to the question it was waiting on ("ok. kod dah sampai: 415764" once
      // the bill asked for midway is done): that question's answer
      if (aside && Object.keys(found.values).length === 0 && this.answersPending(opts.text, state.values)) {
        const slot = this.slots.find((s) => s.missing(state.values));
        const answer = slot ? await slot.answer(opts.text, dc.context, state.values) : undefined;
        if (answer?.ok) {
          answer.apply(state.values);
          problem = answer.problem ?? problem;
        } else if (answer) problem = { key: answer.key, vars: answer.vars };
      }
    }
    return this.step(dc, state, problem);
  }

  /**
   * Whether a message answers the question this procedure was waiting on when it was set aside with `values`
   * (beyond the values extract reads: the eligibility check's one-time code). Then it is taken back to (SupportBot).
   */
  answersPending(_text: string, _values: V): boolean {
    return false;
  }

  /** Whether a message gives at least two of this procedure's values (then, when the recognizer hesitates, it is a request for it). */
  givesValues(text: string, context?: TurnContext): boolean {
    if (!context) return false;
    return this.distinctValues(this.extract(text, context, this.initial({}, context)).values) >= 2;
  }

  /**
   * How many things a customer said among `values`: one per key, unless a procedure keeps one said thing under two
   * keys (a plan named: its id and its fee).
   */
  protected distinctValues(values: Partial<V>): number {
    return Object.keys(values).length;
  }

  /** Whether a message gives at least one of this procedure's values (a request clause followed by its details). */
  givesAnyValue(text: string, context: TurnContext): boolean {
    return Object.keys(this.extract(withoutNegatedValues(text), context, this.initial({}, context)).values).length >= 1;
  }

  /**
   * The values of a message; with a correction in it ("pelan baru RM85.. eh silap, RM58 la"), what follows the
   * marker replaces what came before it: the part before is read, then the part after as if the values the part
   * before gave were still missing (a bare "RM58" is the new fee it corrects, not the old one).
   */
  private extractCorrected(text: string, correction: ReturnType<typeof findCorrection>, context: TurnContext, values: V): Extracted<V> {
    const whole = this.extract(text, context, values);
    if (!correction) return whole;
    // (text is the message with its negated values blanked: positions are the message's)
    const before = this.extract(text.slice(0, correction.index), context, values);
    const keysBefore = Object.keys(before.values);
    if (keysBefore.length === 0) return whole;
    const base = { ...values } as Record<string, unknown>;
    for (const k of keysBefore) delete base[k];
    const after = this.extract(text.slice(correction.index + correction.marker.length), context, base as V);
    if (Object.keys(after.values).length === 0) return whole;
    const named = [...new Set([...(before.named ?? []), ...(after.named ?? [])])];
    return { values: { ...before.values, ...after.values }, ...(after.problem ? { problem: after.problem } : {}), ...(named.length > 0 ? { named } : {}) };
  }

  /** Whether a message gives none of this procedure's values, even before any is known (a bare request for it). */
  givesNothing(text: string, context: TurnContext): boolean {
    const found = this.extract(withoutNegatedValues(text), context, this.initial({}, context));
    return Object.keys(found.values).length === 0 && !found.problem;
  }

  /** The procedure the question asked now offers to start (src/bot/procedure.ts offeredBy): the asked slot's `offers`. */
  offering(dc: DialogContext): string | undefined {
    const state = dc.activeDialog?.state.engine as EngineState<V> | undefined;
    if (!state || state.confirming) return undefined;
    return this.slots.find((s) => s.name === state.asking)?.offers;
  }

  /** Whether the message gives a value of this procedure (then it is an answer, not a new question). */
  absorbs(dc: DialogContext, text: string): boolean {
    const state = dc.activeDialog?.state.engine as EngineState<V> | undefined;
    if (!state) return false;
    if (state.confirming && this.readYesNo(text) !== null) return true;
    const found = this.extract(withoutNegatedValues(text), dc.context, state.values);
    // a value typed wrongly ("ali@gmail") is an answer too: its problem is said, it is not a question
    return Object.keys(found.values).length > 0 || !!found.problem;
  }

  /**
   * Whether a message only says again values this procedure already holds ("btw tukar postpaid ke prepaid ni kena buat
   * kat mana?" while the check of a postpaid-to-prepaid switch waits for its code): nothing new, nothing different,
   * no wrongly typed value, no yes or no awaited. Such a question is the customer's, not an answer.
   */
  restatesOnly(dc: DialogContext, text: string): boolean {
    const state = dc.activeDialog?.state.engine as EngineState<V> | undefined;
    if (!state || state.confirming) return false;
    const found = this.extract(withoutNegatedValues(text), dc.context, state.values);
    const held = state.values as Record<string, unknown>;
    const given = Object.entries(found.values as Record<string, unknown>);
    return !found.problem && given.length > 0 && given.every(([k, v]) => this.holds(state.values, k as keyof V, v));
  }

  /** Whether the values held already say `value` for `key` (the same value; a procedure may know other ways to say it). */
  protected holds(values: V, key: keyof V, value: unknown): boolean {
    const held = values[key];
    return held !== undefined && JSON.stringify(held) === JSON.stringify(value);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state.engine as EngineState<V>;
    const context = dc.context;
    // a value the customer negates ("RM98 bukan 80", "postpaid, not prepaid") is read by no parser
    const said = SlotProcedure.textOf(context);
    const correction = findCorrection(said);
    const text = withoutNegatedValues(said);
    const found = this.extractCorrected(text, correction, context, state.values);
    const given = Object.keys(found.values) as (keyof V)[];

    const slot = this.slots.find((s) => s.name === state.asking);
    const replace = async (keys: (keyof V)[], all: boolean): Promise<DialogTurnResult> => {
      await this.dropReplacement(found, correction, text, context, state.values);
      const changed = keys.filter((k) => k in found.values && (all || this.isMissing(state.values, k)));
      for (const k of changed) (state.values as Record<string, unknown>)[k as string] = found.values[k];
      if (changed.length > 0) this.invalidate(state.values, changed);
      // "pelan baru RM80.. eh bukan 80, 98": a value of this message said not to be meant is replaced too
      if (correction?.negated) {
        const corrected = await this.replaceNegated(correction.negated, text, correction.index, context, state.values);
        if (corrected) this.takeValues(state, corrected);
      }
      state.confirming = false;
      if (slot?.readsBeside && slot.missing(state.values)) {
        const answer = await slot.answer(text, context, state.values);
        if (answer.ok) {
          answer.apply(state.values);
          delete state.tries[slot.name];
          return this.step(dc, state, answer.problem ?? found.problem);
        }
      }
      return this.step(dc, state, found.problem);
    };

    if (slot && !correction && !state.confirming && given.length === 1 && this.namesAnotherSlot(slot, state.values, found)) {
      // "tukar 11 April" while the billing period is asked: the value its words name, not an answer to the question
      return replace(given, true);
    }
    if (slot?.offers && !state.confirming && given.length > 0) {
      // the procedure this question offers, asked for in words with its details ("Ok, tolong buka tiket. … saya nak
      // pentadbir tukar kepada emel baru saya …"): the answer, not a correction of the values before it
      const answer = await slot.answer(text, context, state.values);
      if (answer.ok) {
        answer.apply(state.values);
        delete state.tries[slot.name];
        return this.step(dc, state, answer.problem);
      }
    }
    if (slot && !correction && !state.confirming && given.length <= 1) {
      // the answer to the question asked, read by its own parser
      const answer = await slot.answer(text, context, state.values);
      if (answer.ok) {
        answer.apply(state.values);
        delete state.tries[slot.name];
        return this.step(dc, state, answer.problem);
      }
      // not an answer to this question but a value of another slot: a change of that value
      if (given.length === 1) return replace(given, true);
      const tries = (state.tries[slot.name] ?? 0) + 1;
      state.tries[slot.name] = tries;
      if (tries >= MAX_TRIES) {
        await this.wayOut(context, this.t(context, answer.key, answer.vars));
        return dc.endDialog();
      }
      return this.step(dc, state, { key: answer.key, vars: answer.vars });
    }
    // several values, a correction, or values given at the confirmation: what the customer says now replaces
    // what was known before (a line given with the switch wanted replaces the sender's line)
    if (given.length > 0) return replace(given, true);
    if (state.confirming) {
      const yes = this.readYesNo(text);
      if (yes === 'yes' || yes === 'no') {
        state.confirming = false;
        const outcome = yes === 'yes' ? await this.act(context, state.values, dc) : await this.declined!(context, state.values, dc);
        return this.after(dc, state, outcome);
      }
      return this.step(dc, state, { key: this.confirmRetryKey });
    }
    if (correction?.negated) {
      // "eh bukan 80, 98" while another slot is asked: the slot that holds the value said not to be meant takes the
      // value beside it
      const corrected = await this.replaceNegated(correction.negated, text, correction.index, context, state.values);
      if (corrected) {
        this.takeValues(state, corrected);
        state.confirming = false;
        return this.step(dc, state);
      }
    }
    if (slot && correction) {
      // "eh salah" with the new value after it, read by the asked slot's parser
      const answer = await slot.answer(withoutNegatedValues(correction.after).trim() || text, context, state.values);
      if (answer.ok) {
        answer.apply(state.values);
        return this.step(dc, state, answer.problem);
      }
      return this.step(dc, state, { key: answer.key, vars: answer.vars });
    }
    return this.step(dc, state);
  }

  override async repromptDialog(context: TurnContext, instance: { state: { engine?: EngineState<V> } }): Promise<void> {
    const state = instance.state.engine;
    if (!state) return;
    if (state.confirming && this.confirmation) {
      const reply = await this.confirmation(context, state.values);
      if (reply && 'text' in reply) await this.send(context, reply);
      return;
    }
    const slot = this.slots.find((s) => s.name === state.asking);
    const reply = slot ? await slot.ask(context, state.values) : undefined;
    if (reply) await this.send(context, reply);
  }

  /** After a few wrong answers: no dead end (a ticket or the menu). */
  protected async wayOut(context: TurnContext, reason?: string): Promise<void> {
    await this.send(context, {
      text: [reason, this.t(context, this.gaveUpKey)].filter(Boolean).join('\n'),
      choices: [
        { title: this.t(context, 'button.start.ticket'), value: this.t(context, 'button.start.ticket') },
        { title: this.t(context, 'button.menu'), value: 'menu' },
      ],
    });
  }

  /** Takes corrected values, forgetting what depended on those that changed. */
  private takeValues(state: EngineState<V>, values: V): void {
    const changed = (Object.keys(values) as (keyof V)[]).filter((k) => !this.holds(state.values, k, values[k]));
    state.values = values;
    this.invalidate(state.values, changed);
  }

  /**
   * The values with the one said not to be meant replaced (replaceNegated), and the message's values without that
   * replacement read into another slot as well: "eh bukan 80, 88" replaces the new plan's 80; read alone, 88 would also
   * be the old plan's fee. Undefined (and `found` untouched) when nothing is said not to be meant, or no slot held it.
   */
  private async dropReplacement(found: Extracted<V>, correction: ReturnType<typeof findCorrection>, text: string, context: TurnContext, values: V): Promise<V | undefined> {
    if (!correction?.negated) return undefined;
    const corrected = await this.replaceNegated(correction.negated, text, correction.index, context, values);
    if (!corrected) return undefined;
    const replaced = (Object.keys(corrected) as (keyof V)[]).filter((k) => !this.holds(values, k, corrected[k]));
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    for (const k of Object.keys(found.values) as (keyof V)[]) {
      if (!replaced.includes(k) && replaced.some((r) => same(found.values[k], corrected[r]))) delete found.values[k];
    }
    return corrected;
  }

  /**
   * The values with the one said not to be meant replaced: the pure slot whose parser reads `negated` as the value it
   * already holds reads the nearest clause of the message (blanked `text`, negation at `at`) as its new value.
   */
  private async replaceNegated(negated: string, text: string, at: number, context: TurnContext, values: V): Promise<V | undefined> {
    const clauses: Array<{ text: string; distance: number }> = [];
    let start = 0;
    for (const m of text.matchAll(/[,;!?]|\.(?!\d)|$/g)) {
      const end = m.index ?? text.length;
      const clause = text.slice(start, end).trim();
      if (/\d|@|paid|bayar/i.test(clause)) clauses.push({ text: clause, distance: end < at ? at - end : Math.max(0, start - at) });
      start = end + 1;
      if (end >= text.length) break;
    }
    clauses.sort((a, b) => a.distance - b.distance);
    // (the nearest few: a message of a thousand comma-separated numbers costs no more than one of a few clauses)
    clauses.length = Math.min(clauses.length, MAX_NEGATED_CLAUSES);
    for (const slot of this.slots) {
      if (!slot.pure) continue;
      const probe = structuredClone(values);
      const held = await slot.answer(negated, context, probe);
      if (!held.ok) continue;
      held.apply(probe);
      if (JSON.stringify(probe) !== JSON.stringify(values)) continue; // not the value this slot holds
      for (const clause of clauses) {
        const next = structuredClone(values);
        // (read without a correction's own words: "sorry not 58, it was 48 actually")
        const marker = findCorrection(clause.text);
        const plain = marker ? `${clause.text.slice(0, marker.index)} ${clause.text.slice(marker.index + marker.marker.length)}`.trim() : clause.text;
        const answer = await slot.answer(plain, context, next);
        if (!answer.ok) continue;
        answer.apply(next);
        if (JSON.stringify(next) !== JSON.stringify(values)) return next;
      }
    }
    return undefined;
  }

  /** Whether the one value a message gives is named by its words for a slot other than the one asked (which it leaves missing). */
  private namesAnotherSlot(asked: Slot<V>, values: V, found: Extracted<V>): boolean {
    const keys = Object.keys(found.values) as (keyof V)[];
    if (keys.length !== 1 || !found.named?.includes(keys[0]!)) return false;
    return asked.missing({ ...values, ...found.values });
  }

  private isMissing(values: V, key: keyof V): boolean {
    return (values as Record<string, unknown>)[key as string] === undefined;
  }

  /** Says the problem, then asks the next missing slot, the confirmation, or acts. */
  private async step(dc: DialogContext, state: EngineState<V>, problem?: Problem): Promise<DialogTurnResult> {
    const context = dc.context;
    if (problem) await this.say(context, problem.key, problem.vars);
    for (let guard = 0; guard < this.slots.length + 2; guard++) {
      const slot = this.slots.find((s) => s.missing(state.values));
      if (slot) {
        const reply = await slot.ask(context, state.values);
        if (!reply) {
          if (slot.missing(state.values)) {
            // the slot could not be asked (a code refused, a service down: said by ask)
            return dc.endDialog();
          }
          continue;
        }
        state.asking = slot.name;
        expectFreeText(context, slot.freeText ?? false);
        await this.send(context, reply);
        return Dialog.EndOfTurn;
      }
      delete state.asking;
      expectFreeText(context, false);
      if (this.confirmation) {
        const confirm = await this.confirmation(context, state.values);
        if (confirm && 'text' in confirm) {
          state.confirming = true;
          await this.send(context, confirm);
          return Dialog.EndOfTurn;
        }
        if (confirm) return this.after(dc, state, confirm);
      }
      return this.after(dc, state, await this.act(context, state.values, dc));
    }
    return dc.endDialog();
  }

  /**
   * Whether the work is done with these values (a result shown, next steps offered): closed then by the customer
   * moving on, the procedure is remembered as finished, so that a question about its result right after reopens it.
   */
  protected doneWith(_values: V): boolean {
    return false;
  }

  override async endDialog(context: TurnContext, instance: DialogInstance, reason: DialogReason): Promise<void> {
    const state = instance.state?.engine as EngineState<V> | undefined;
    if ((reason === DialogReason.cancelCalled || reason === DialogReason.endCalled) && this.reopenable && state && this.doneWith(state.values)) recordFinished(context, { id: this.id, values: state.values });
    await super.endDialog(context, instance, reason);
  }

  private async after(dc: DialogContext, state: EngineState<V>, outcome: Outcome): Promise<DialogTurnResult> {
    if (outcome.done) {
      if (this.reopenable) recordFinished(dc.context, { id: this.id, values: state.values });
      // the action may have started another procedure (a ticket handed over): then it is the active one
      if (dc.activeDialog && dc.activeDialog.id !== this.id) return Dialog.EndOfTurn;
      return dc.endDialog(outcome.result);
    }
    return this.step(dc, state, outcome.problem);
  }
}
