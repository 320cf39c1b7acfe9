/**
 * SupportBot: one ActivityHandler for every channel. It decides what a turn is: a language switch, a global
 * command (cancel, help, menu), the next step of an active procedure, or a question for the recognizer,
 * answered, clarified or honestly declined. It knows no channel's wire format: it speaks in Replies.
 */
import {
  ActivityHandler,
  type BotState,
  type StatePropertyAccessor,
  type TurnContext,
} from 'botbuilder';
import {
  type Dialog,
  type DialogContext,
  DialogSet,
  type DialogState,
  type DialogStateManagerConfiguration,
  DialogTurnStatus,
} from 'botbuilder-dialogs';
import { trimTrailing } from '../domain/text';
import type { KnowledgeBase, KnowledgeEntry, Lang, ProcedureId } from '../knowledge/types';
import type { MessageCatalog } from '../language/catalog';
import { detectCommand } from '../language/commands';
import { detectLanguage } from '../language/detect';
import type { Logger } from '../logging';
import type { Recognition, Recognizer } from '../nlu/recognizer';
import { expectFreeText, freeTextExpected, recordOutcome, setActiveProcedure, setTurnLang, turnLang } from './context';
import { absorbs, finishedProcedure, givesValuesFor, isFinished, isSlotProcedure } from './procedure';
import { findCorrection } from '../domain/slots';
import { type Choice, type Reply, choiceOf, toActivity } from './reply';

export interface Profile {
  /** The language the customer chose explicitly ("English", "BM"); a prior for ambiguous messages. */
  lang?: Lang;
  /** The language of the customer's last message. */
  lastLang?: Lang;
}

interface Session {
  /** The active procedure waits for free text. */
  freeText?: boolean;
  /** The procedure that finished on the previous turn, with its values: a correction now reopens it. */
  reopen?: { id: string; values: object };
}

/** What a procedure dialog receives when it starts. */
export interface ProcedureOptions {
  /** The message that started it (may already hold the slots: an e-mail, a phone number, a date). */
  text?: string;
  /** The knowledge entry that led to it. */
  entryId?: string;
  /** Values already known (another procedure's, or this one's when a correction reopens it). */
  prefill?: object;
  /** Context handed over by another procedure (e.g. a ticket after a failed migration). */
  handover?: { from: string; category?: string; summary?: string };
}

/** Records questions the bot could not answer confidently (personal data masked by the recorder). */
export interface UnansweredRecorder {
  record(item: { text: string; lang: Lang; recognition: Recognition; channel: string }): Promise<void>;
}

export interface SupportBotDeps {
  conversationState: BotState;
  userState: BotState;
  knowledge: KnowledgeBase;
  recognizer: Recognizer;
  catalog: MessageCatalog;
  /** The procedure dialogs available in this deployment, each with its ProcedureId as dialog id. */
  procedures?: Dialog[];
  unanswered?: UnansweredRecorder;
  log: Logger;
  maxMessageChars: number;
  /** Features' hooks run at the start of every message turn (Feature.onMessage). */
  beforeMessage?: Array<(context: TurnContext) => Promise<void>>;
}

/** botbuilder-dialogs' turn-state key for the DialogStateManager configuration (memory/dialogStateManager). */
const DIALOG_STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

const command = (text: string) => detectCommand(text);

/** A cancel inside a sentence (the whole-message commands are in the lexicon: src/language/commands.ts). */
const CANCEL_IN_SENTENCE = /\b(cancel|batal(?:kan)?|tak\s+jadi|x\s+jadi|tidak\s+jadi|never\s*mind|forget\s+it|lupakan)\b/i;

const QUESTION_START =
  /^(apa|apakah|bagaimana|macam ?mana|mcm ?mana|camne|cmne|cane|bila|berapa|kenapa|mengapa|boleh ?ke|bolehkah|bolehkan|di ?mana|how|what|when|where|why|which|can|could|do|does|is|are|will|should)\b/i;

export class SupportBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly profile: StatePropertyAccessor<Profile>;
  private readonly session: StatePropertyAccessor<Session>;
  private readonly procedureIds: Set<string>;
  /** Canonical questions (lower-cased) to their entry: a clicked suggestion goes straight to its entry. */
  private readonly byQuestion = new Map<string, KnowledgeEntry>();
  /** "Start account migration" / "Mulakan migrasi akaun" (the offer buttons) to their procedure. */
  private readonly startButtons = new Map<string, ProcedureId>();
  private dialogStateConfiguration: DialogStateManagerConfiguration | undefined;

  constructor(private readonly deps: SupportBotDeps) {
    super();
    this.dialogState = deps.conversationState.createProperty<DialogState>('dialogState');
    this.session = deps.conversationState.createProperty<Session>('session');
    this.profile = deps.userState.createProperty<Profile>('profile');
    this.dialogs = new DialogSet(this.dialogState);
    this.procedureIds = new Set();
    for (const dialog of deps.procedures ?? []) {
      this.dialogs.add(dialog);
      this.procedureIds.add(dialog.id);
      for (const lang of ['ms', 'en'] as const) {
        this.startButtons.set(normaliseQuestion(deps.catalog.t(lang, `button.start.${dialog.id}`)), dialog.id as ProcedureId);
      }
    }
    for (const entry of deps.knowledge.entries) {
      for (const lang of ['ms', 'en'] as const) this.byQuestion.set(normaliseQuestion(entry.question[lang]), entry);
    }

    this.onMembersAdded(async (context, next) => {
      const added = context.activity.membersAdded ?? [];
      if (added.some((m) => m.id !== context.activity.recipient?.id)) await this.welcome(context);
      await next();
    });
    // the chat page's language toggle: { type: 'event', name: 'setLanguage', value: 'ms' | 'en' }
    this.onEvent(async (context, next) => {
      const { name, value } = context.activity;
      if (name === 'setLanguage' && (value === 'ms' || value === 'en')) {
        const profile = await this.profile.get(context, {});
        profile.lang = value;
        profile.lastLang = value;
        setTurnLang(context, value);
        await this.send(context, { text: this.t(context, 'lang.switched') });
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
  }

  /**
   * The turn's DialogContext. botbuilder-dialogs builds its memory scopes and path resolvers afresh for every
   * turn (a dependency container and a zod parse) unless the turn state already holds a configuration, as
   * botbuilder's DialogManager gives it; they hold no per-turn data, so one set serves every turn.
   */
  private async dialogContext(context: TurnContext): Promise<DialogContext> {
    if (this.dialogStateConfiguration) context.turnState.set(DIALOG_STATE_MANAGER_CONFIGURATION, this.dialogStateConfiguration);
    const dc = await this.dialogs.createContext(context);
    this.dialogStateConfiguration ??= dc.state.configuration;
    return dc;
  }

  /** Sends a Reply rendered for the turn's channel. */
  async send(context: TurnContext, reply: Reply): Promise<void> {
    await context.sendActivity(toActivity({ lang: turnLang(context), ...reply }, context.activity.channelId));
  }

  private t(context: TurnContext, key: string, vars?: Record<string, string | number>): string {
    return this.deps.catalog.t(turnLang(context), key, vars);
  }

  private async welcome(context: TurnContext): Promise<void> {
    const stored = await this.profile.get(context, {});
    const lang: Lang = stored.lang ?? stored.lastLang ?? (context.activity.locale?.toLowerCase().startsWith('en') ? 'en' : 'ms');
    setTurnLang(context, lang);
    // before the customer has written, the welcome is in both languages; the buttons follow the prior
    await this.send(context, { text: this.deps.catalog.both('welcome.text'), choices: this.menuChoices(context), lang });
  }

  /**
   * The main menu: one button per enabled knowledge pack that has menu words in the catalog (`menu.<pack>`,
   * `menu.<pack>.question`), in the packs' order, then a ticket. No pack name is written here.
   */
  private menuChoices(context: TurnContext): Choice[] {
    const choices: Choice[] = [];
    for (const pack of this.deps.knowledge.packs) {
      if (!this.deps.catalog.has(`menu.${pack}`) || !this.deps.catalog.has(`menu.${pack}.question`)) continue;
      choices.push({ title: this.t(context, `menu.${pack}`), value: this.t(context, `menu.${pack}.question`) });
    }
    if (this.procedureIds.has('ticket') || this.deps.catalog.has('menu.ticket')) {
      choices.push({ title: this.t(context, 'menu.ticket'), value: this.t(context, 'menu.ticket.question') });
    }
    return choices;
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const text = (context.activity.text ?? '').trim();
    const profile = await this.profile.get(context, {});
    const session = await this.session.get(context, {});
    expectFreeText(context, session.freeText ?? false);

    const guess = detectLanguage(text, { stored: profile.lang ?? profile.lastLang, locale: context.activity.locale });
    setTurnLang(context, guess.lang);
    for (const hook of this.deps.beforeMessage ?? []) await hook(context);

    if (text === '') {
      // a picture, a sticker, a file: say what the bot can read
      await this.send(context, { text: this.t(context, 'error.textOnly') });
      return;
    }
    if (text.length > this.deps.maxMessageChars) {
      await this.send(context, { text: this.t(context, 'error.tooLong', { max: this.deps.maxMessageChars }) });
      return;
    }
    if (guess.explicitSwitch) {
      profile.lang = guess.explicitSwitch;
      profile.lastLang = guess.explicitSwitch;
      setTurnLang(context, guess.explicitSwitch);
      await this.send(context, { text: this.t(context, 'lang.switched') });
      const dc = await this.dialogContext(context);
      if (dc.activeDialog) await dc.repromptDialog();
      setActiveProcedure(context, dc.activeDialog?.id);
      return;
    }
    profile.lastLang = guess.lang;

    const dc = await this.dialogContext(context);
    const command = detectCommand(text);
    const reopen = session.reopen;
    delete session.reopen;
    if (command === 'cancel') {
      const had = !!dc.activeDialog;
      await dc.cancelAllDialogs();
      expectFreeText(context, false);
      await this.send(context, { text: this.t(context, had ? 'cancel.done' : 'cancel.nothing'), choices: this.menuChoices(context) });
    } else if (command === 'help') {
      await this.send(context, { text: this.t(context, 'help.text'), choices: this.menuChoices(context) });
      if (dc.activeDialog) await dc.repromptDialog();
    } else if (command === 'menu') {
      await this.send(context, { text: this.t(context, 'menu.text'), choices: this.menuChoices(context) });
    } else if (dc.activeDialog) {
      await this.continueProcedure(dc, text);
    } else if (reopen && findCorrection(text) && /\d|@/.test(text) && this.procedureIds.has(reopen.id)) {
      // "sorry I meant 11 April" right after the result: the same procedure again, with the corrected value
      const options: ProcedureOptions = { text, prefill: reopen.values };
      await dc.beginDialog(reopen.id, options);
    } else if (command === 'greeting') {
      await this.send(context, { text: this.t(context, 'greeting.reply'), choices: this.menuChoices(context) });
    } else if (command === 'thanks') {
      await this.send(context, { text: this.t(context, 'thanks.reply') });
    } else if (command === 'yes' || command === 'no') {
      await this.send(context, { text: this.t(context, 'yesno.orphan'), choices: this.menuChoices(context) });
    } else {
      await this.answerQuestion(dc, text);
    }
    session.freeText = (freeTextExpected(context) ?? false) && !!dc.activeDialog;
    const open = dc.activeDialog && !isFinished(dc.findDialog(dc.activeDialog.id), dc) ? dc.activeDialog.id : undefined;
    const finished = finishedProcedure(context);
    if (finished && !dc.activeDialog) session.reopen = finished;
    setActiveProcedure(context, open);
  }

  /**
   * Continues the active procedure, unless the message is something else (issue 15): a request for another
   * procedure, or the same one's trigger phrase again (the current one is closed and the requested one starts
   * with the slots of that message), or an FAQ question (answered, then the procedure asks its question again).
   * A message that gives a value the procedure is waiting for is always its answer.
   */
  private async continueProcedure(dc: DialogContext, text: string): Promise<void> {
    const context = dc.context;
    const active = dc.activeDialog ? dc.findDialog(dc.activeDialog.id) : undefined;
    const activeId = dc.activeDialog?.id;
    // a one- or two-word answer to a waterfall's question (a reference, a name) is its answer, not a request
    const words = text.split(/\s+/).length;
    if (!absorbs(active, dc, text) && !freeTextExpected(context) && command(text) === null && words >= (isSlotProcedure(active) ? 2 : 3)) {
      const lang = turnLang(context);
      const start = this.startOf(context, text);
      const recognition = this.deps.recognizer.match(text, lang);
      const top = recognition.candidates[0];
      const entry = start ? undefined : recognition.decision === 'answer' ? top?.entry : undefined;
      const procedure = start ?? (entry?.procedure && entry.procedure.mode !== 'offer' ? entry.procedure.dialog : undefined);
      if (procedure && this.procedureIds.has(procedure)) {
        await dc.cancelAllDialogs();
        if (procedure !== activeId) await this.send(context, { text: this.t(context, 'engine.switched') });
        const options: ProcedureOptions = { text, ...(entry ? { entryId: entry.id } : {}) };
        await dc.beginDialog(procedure, options);
        return;
      }
      if (CANCEL_IN_SENTENCE.test(text.slice(0, 300))) {
        // "actually never mind, cancel", "tak jadi la": the procedure is closed
        await dc.cancelAllDialogs();
        expectFreeText(context, false);
        await this.send(context, { text: this.t(context, 'cancel.done'), choices: this.menuChoices(context) });
        return;
      }
      if (entry && (looksLikeQuestion(text) || (isSlotProcedure(active) && text.split(/\s+/).length >= 4)) && entry.kind === 'faq' && entry.status === 'complete' && entry.answer) {
        await this.send(context, { text: entry.answer[lang] });
        recordOutcome(context, { procedure: 'faq', entryId: entry.id });
        await dc.repromptDialog();
        return;
      }
    }
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await this.answerQuestion(dc, text);
  }

  private async answerQuestion(dc: DialogContext, text: string): Promise<void> {
    const context = dc.context;
    const lang = turnLang(context);
    const start = this.startOf(context, text);
    if (start) {
      const options: ProcedureOptions = {};
      await dc.beginDialog(start, options);
      return;
    }
    const direct = this.byQuestion.get(normaliseQuestion(text));
    if (direct) {
      await this.respondWithEntry(dc, direct, text);
      return;
    }
    const recognition = this.deps.recognizer.match(text, lang);
    const top = recognition.candidates[0];
    if (recognition.decision === 'clarify') {
      // "boleh tak no 0131000003 tukar ke Digi Postpaid 58?": among the candidates, a procedure the message fills
      const procedure = recognition.candidates
        .slice(0, 3)
        .map((c) => c.entry)
        .find((e) => e.procedure && this.procedureIds.has(e.procedure.dialog) && givesValuesFor(dc.findDialog(e.procedure.dialog), text, context));
      if (procedure) {
        const options: ProcedureOptions = { text, entryId: procedure.id };
        await dc.beginDialog(procedure.procedure!.dialog, options);
        return;
      }
    }
    if (recognition.decision !== 'answer') {
      await this.deps.unanswered
        ?.record({ text, lang, recognition, channel: context.activity.channelId })
        .catch((err: unknown) => this.deps.log.warn({ err }, 'could not record an unanswered question'));
    }
    if (recognition.decision === 'answer' && top) {
      await this.respondWithEntry(dc, top.entry, text);
    } else if (recognition.decision === 'clarify' && recognition.candidates.length > 0) {
      await this.send(context, {
        text: this.t(context, 'clarify.text'),
        choices: [
          ...recognition.candidates.slice(0, 3).map((c) => ({ title: c.entry.question[lang], value: c.entry.question[lang] })),
          this.ticketChoice(context),
        ],
      });
    } else {
      await this.send(context, { text: this.t(context, 'fallback.text'), choices: [this.ticketChoice(context), this.menuChoice(context)] });
    }
  }

  /**
   * The procedure a start button asks for: the press's carried choice ("start:prorata"); from channels that
   * return only the button's text (WhatsApp replies, typed), its label in either language.
   */
  private startOf(context: TurnContext, text: string): ProcedureId | undefined {
    const carried = /^start:(\w+)$/.exec(choiceOf(context.activity) ?? '')?.[1];
    if (carried && this.procedureIds.has(carried)) return carried as ProcedureId;
    return this.startButtons.get(normaliseQuestion(text));
  }

  private ticketChoice(context: TurnContext): Choice {
    return { title: this.t(context, 'button.ticket'), value: this.t(context, 'menu.ticket.question') };
  }

  private menuChoice(context: TurnContext): Choice {
    return { title: this.t(context, 'button.menu'), value: 'menu' };
  }

  private async respondWithEntry(dc: DialogContext, entry: KnowledgeEntry, text: string): Promise<void> {
    const context = dc.context;
    const lang = turnLang(context);
    if (entry.kind === 'faq' && entry.answer) recordOutcome(context, { procedure: 'faq', entryId: entry.id });
    if (entry.status === 'incomplete' || (!entry.answer && entry.kind === 'faq')) {
      await this.send(context, { text: this.t(context, 'incomplete.text', { question: entry.question[lang] }), choices: [this.ticketChoice(context)] });
      return;
    }
    const procedure = entry.procedure;
    const runnable = procedure && this.procedureIds.has(procedure.dialog);
    const followups = entry.followups
      .map((id) => this.deps.knowledge.byId.get(id))
      .filter((e): e is KnowledgeEntry => !!e)
      .map((e) => ({ title: e.question[lang], value: e.question[lang] }));

    if (entry.answer && !(procedure?.mode === 'instead' && runnable)) {
      const choices: Choice[] = [];
      if (procedure?.mode === 'offer' && runnable) {
        choices.push({
          title: this.t(context, `button.start.${procedure.dialog}`),
          value: this.t(context, `button.start.${procedure.dialog}`),
          id: `start:${procedure.dialog}`,
        });
      }
      choices.push(...followups);
      await this.send(context, { text: entry.answer[lang], choices: choices.slice(0, 5) });
    }
    if (procedure && (procedure.mode === 'instead' || procedure.mode === 'after')) {
      if (runnable) {
        await dc.cancelAllDialogs();
        const options: ProcedureOptions = { text, entryId: entry.id };
        await dc.beginDialog(procedure.dialog, options);
      } else if (!entry.answer) {
        await this.send(context, { text: this.t(context, 'procedure.unavailable'), choices: [this.menuChoice(context)] });
      }
    }
  }
}

/** Lower-case, single spaces, no trailing punctuation: how a clicked suggestion is matched to its entry. */
export function normaliseQuestion(text: string): string {
  // trimTrailing, not /[\s?.!]+$/u: that pattern is quadratic on a long run of ". " (src/domain/text.ts)
  return trimTrailing(text.toLowerCase().replace(/\s+/g, ' '), (ch) => QUESTION_END.test(ch)).trim();
}
const QUESTION_END = /^[\s?.!]$/u;

function looksLikeQuestion(text: string): boolean {
  return text.includes('?') || QUESTION_START.test(text.trim());
}

