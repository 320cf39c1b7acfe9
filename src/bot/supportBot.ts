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
import { expectFreeText, freeTextExpected, setTextLang, setTurnLang, textLang, turnLang } from './context';
import { type Choice, type Reply, toActivity } from './reply';

export interface Profile {
  /** The language the customer chose explicitly ("English", "BM"); a prior for ambiguous messages. */
  lang?: Lang;
  /** The language of the customer's last message. */
  lastLang?: Lang;
  /**
   * A language the customer named in a message ("in English please", "BM boleh?"): every reply and prompt
   * follows it, whatever the language of later messages, until the customer names another one.
   */
  chosen?: Lang;
}

interface Session {
  /** The active procedure waits for free text. */
  freeText?: boolean;
}

/** What a procedure dialog receives when it starts. */
export interface ProcedureOptions {
  /** The message that started it (may already hold the slots: an e-mail, a phone number, a date). */
  text?: string;
  /** The knowledge entry that led to it. */
  entryId?: string;
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
        // the page's toggle is a prior, as the browser's locale: the customer's own words still decide ("hai")
        delete profile.chosen;
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
    await context.sendActivity(toActivity(reply, context.activity.channelId));
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

  private menuChoices(context: TurnContext): Choice[] {
    const packs = new Set(this.deps.knowledge.packs);
    const choices: Choice[] = [];
    if (packs.has('ebiz')) choices.push({ title: this.t(context, 'menu.ebiz'), value: this.t(context, 'menu.ebiz.question') });
    if (packs.has('planswitch'))
      choices.push({ title: this.t(context, 'menu.planswitch'), value: this.t(context, 'menu.planswitch.question') });
    choices.push({ title: this.t(context, 'menu.ticket'), value: this.t(context, 'menu.ticket.question') });
    return choices;
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const text = (context.activity.text ?? '').trim();
    const profile = await this.profile.get(context, {});
    const session = await this.session.get(context, {});
    expectFreeText(context, session.freeText ?? false);

    const guess = detectLanguage(text, { stored: profile.lang ?? profile.lastLang, locale: context.activity.locale });
    setTextLang(context, guess.lang);
    setTurnLang(context, guess.explicitSwitch ?? profile.chosen ?? guess.lang);
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
      profile.chosen = guess.explicitSwitch;
      setTurnLang(context, guess.explicitSwitch);
      await this.send(context, { text: this.t(context, 'lang.switched') });
      const dc = await this.dialogContext(context);
      if (dc.activeDialog) await dc.repromptDialog();
      return;
    }
    profile.lastLang = turnLang(context);

    const dc = await this.dialogContext(context);
    const command = detectCommand(text);
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
  }

  /** Continues the active procedure, unless the message is clearly an FAQ question: then answers it and re-prompts. */
  private async continueProcedure(dc: DialogContext, text: string): Promise<void> {
    const context = dc.context;
    if (!freeTextExpected(context) && looksLikeQuestion(text)) {
      const recognition = this.deps.recognizer.match(text, textLang(context));
      const top = recognition.candidates[0];
      if (recognition.decision === 'answer' && top && top.entry.kind === 'faq' && top.entry.status === 'complete' && top.entry.answer) {
        await this.send(context, { text: top.entry.answer[turnLang(context)] });
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
    const start = this.startButtons.get(normaliseQuestion(text));
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
    const recognition = this.deps.recognizer.match(text, textLang(context));
    const top = recognition.candidates[0];
    if (recognition.decision !== 'answer') {
      await this.deps.unanswered
        ?.record({ text, lang: textLang(context), recognition, channel: context.activity.channelId })
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

  private ticketChoice(context: TurnContext): Choice {
    return { title: this.t(context, 'button.ticket'), value: this.t(context, 'menu.ticket.question') };
  }

  private menuChoice(context: TurnContext): Choice {
    return { title: this.t(context, 'button.menu'), value: 'menu' };
  }

  private async respondWithEntry(dc: DialogContext, entry: KnowledgeEntry, text: string): Promise<void> {
    const context = dc.context;
    const lang = turnLang(context);
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
        choices.push({ title: this.t(context, `button.start.${procedure.dialog}`), value: this.t(context, `button.start.${procedure.dialog}`) });
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

