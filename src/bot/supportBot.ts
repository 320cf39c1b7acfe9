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
import { redactPersonalData } from '../domain/pii';
import { normaliseText } from '../domain/text';
import { CONTACT_ME, givesContact } from '../domain/phone';
import { DESCRIPTION_MAX, namesReference } from '../services/tickets';
import { CORE_PACK } from '../knowledge/loader';
import type { KnowledgeBase, KnowledgeEntry, Lang, ProcedureId } from '../knowledge/types';
import type { MessageCatalog } from '../language/catalog';
import { afterCancelClauses, asksWhatIf, cancelClauseIn, detectCommand, doesItOnOwn, doesItThemselves, holdsOn, holdsOnToDo, leavingOnly, thanksClauseIn, underCondition, withoutCancelClauses } from '../language/commands';
import { asksWhatTheBotIs } from '../language/handoff';
import { detectLanguage, textAfterSwitch } from '../language/detect';
import type { AnalysedText } from '../language/normalize';
import { type Lexicon, phrasePattern } from '../language/lexicon';
import { HOW_OR_WHY, TOPIC_BREAK, analyseText, asAnalysedText, asksForMethod, expandShortForms, signsOff } from '../language/normalize';
import type { Logger } from '../logging';
import { GIVEN_FOR_A_PROCEDURE, type Recognition, type Recognizer } from '../nlu/recognizer';
import { noteOutcome, turnHandled } from './outcome';
import { type AnsweredBefore, answeredBefore, clarifiedBefore, declinedBefore, expectFreeText, freeTextExpected, recordOutcome, setActiveProcedure, setAnsweredBefore, setClarifiedBefore, setDeclinedBefore, setSetAside, setTextLang, setTurnLang, setTurnText, textLang, turnInput, turnLang, turnLangIfSet, verifiedPhone } from './context';
import { absorbs, answersPendingFor, asksAgainFor, asksOwnLineFor, finishedProcedure, givesAnyValueFor, givesNothingFor, givesValuesFor, handoverOf, handsOver, hearsAccount, isFinished, handedOverFrom, isSlotProcedure, isStale, offeredBy, recomputable, restatesOnly, showAgain, slotValues, topicOf } from './procedure';
import { findCode, findCorrection } from '../domain/slots';
import { type Choice, type Reply, choiceOf, toActivity } from './reply';

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
  /**
   * The procedure that finished lately, with its values: a correction now reopens it ("eh silap, pelan lama sy RM49.95
   * la" a turn or two after the bill); `turns`: the turns it stays open to one, while no other procedure runs.
   */
  reopen?: { id: string; values: object; turns?: number };
  /** The procedure closed when the customer asked for another midway: a later cancel naming it closes it for good. */
  setAside?: string;
  /** The values the procedure set aside had (it starts from them when asked for again). */
  setAsideValues?: object;
  /** The FAQ answered on the previous turn (context for the next one: src/bot/context.ts answeredBefore). */
  answered?: AnsweredBefore;
  /** The entries the previous turn offered as "did you mean …?" choices (src/bot/context.ts clarifiedBefore). */
  clarified?: string[];
  /** The message the previous turn could not answer (src/bot/context.ts declinedBefore). */
  declined?: string;
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
  /** The procedures with a main-menu button (`menu: true` in the procedure registry, dialogs/registry.ts). */
  menuProcedures?: readonly string[];
  unanswered?: UnansweredRecorder;
  log: Logger;
  maxMessageChars: number;
  /** Called after an FAQ answer is sent (the insight feature's "did this help?" buttons). */
  afterAnswer?: (context: TurnContext, entry: KnowledgeEntry) => Promise<void>;
  /** Features' hooks run at the start of every message turn (Feature.onMessage). */
  beforeMessage?: Array<(context: TurnContext) => Promise<void>>;
  /** Features that may take a message before the bot routes it (Feature.interceptMessage; see MessageInterception). */
  interceptors?: Array<(context: TurnContext) => Promise<MessageInterception | undefined>>;
}

/**
 * What a feature that took a message (Feature.interceptMessage, e.g. the live handoff) asks of the bot: it
 * answered or relayed the message itself, so the bot stays silent; `endProcedures` cancels the active
 * procedure (the customer went to a person); `procedure` starts one (a ticket with the handoff transcript);
 * `answerIfAsked`: the message was relayed, and a question the bot answers outright with an FAQ is answered too
 * (a customer waiting in the queue asks "dokumen apa kena bawa ke kaunter?"), followed by `note`; a language asked
 * for ("boleh cakap Melayu?") is switched to; `rest`: the feature did its part with the start of the message, and the
 * rest is read as a message of its own ("nvm, cancel that. just tell me where I can switch …" leaves the queue, then
 * the question is answered).
 */
export interface MessageInterception {
  endProcedures?: boolean;
  procedure?: { id: ProcedureId; options: ProcedureOptions };
  answerIfAsked?: { note: Reply };
  rest?: string;
}

/**
 * botbuilder-dialogs' turn-state key for the DialogStateManager configuration: the string constant
 * DIALOG_STATE_MANAGER_CONFIGURATION of lib/memory/dialogStateManager.js, which the package does not export
 * (its public DialogTurnStateConstants hold only configuration, dialogManager, telemetryClient and queueStorage).
 * The public ways to reuse a configuration do not fit here: DialogManager.stateConfiguration needs the whole bot
 * run as one root dialog under DialogManager, and DialogStateManager.configuration can only be assigned after
 * DialogSet.createContext has already built a fresh one. No upstream botbuilder-js issue asks for the key to be
 * exported (issue tracker searched 2026-11-29: "DialogStateManagerConfiguration", "DialogStateManager memory scopes
 * each turn"; none found). If the key changes, the turn still works: the configuration is simply rebuilt each turn.
 */
const DIALOG_STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

/**
 * The fewest words of a message that, recognised as a request for another procedure, is that request even when
 * it also gives a value the running procedure waits for: a shorter message ("ya betul", "postpaid 80",
 * "IC 900101-10-5431") is an answer.
 */
const MIN_REQUEST_WORDS = 4;
/** The turns a finished procedure stays open to a correction or a "what if" (Session.reopen) while nothing else runs. */
const REOPEN_TURNS = 3;

/**
 * Where a message's clauses break: the end of a sentence, a semicolon or colon, a comma, a new line, and the word
 * that joins a request to its subject ("nk buat aduan pasal akaun ebiz …", "a complaint about my bill"). A full stop
 * or colon inside a word ("nurul.aina@gmail.com", "RM58.50", "v2.0") breaks nothing; nor does a hyphen inside one
 * ("012-345 6789", "e-mel"), but a dash between words does ("Report a problem pls — my plan switch went through …").
 */
// (a break that opens with white space starts where that space starts: tried from each space of a long run, it read
// the rest of the run each time)
const CLAUSE_BREAK = new RegExp(`[!?;\\n]+\\s*|[.:]+(?:\\s+|$)|,\\s+|(?:(?<!\\s)\\s+)?[—–]+\\s*|(?<!\\s)\\s+-{1,2}\\s+|${TOPIC_BREAK.source}`, 'i');
/**
 * The confidence a clause's recognition needs to be a request on its own: "sy nk buat aduan", "kira prorata"
 * score 1 (CLAUSE_CERTAIN); "Hi I want to lodge a complaint" 0.78, with a request word (lexicon requestWords);
 * a clause that only tells ("my bill this month is wrong" 0.70, "I raised a complaint last week") has none.
 * Correction clauses ("eh salah": 0.77 for customer service) are never read as requests.
 * (0.68, not 0.7: "sy nk lapor masalah akaun eBiz" scores 0.699-0.700 as knowledge examples come and go; a clause worded
 * as a request is still needed below CLAUSE_CERTAIN)
 */
const CLAUSE_REQUEST_CONFIDENCE = 0.68;
// (0.92, not 0.9: a clause that only tells, "I pay my bill every month", sat at 0.898-0.900 as the lexicon changed; such
// a clause, opening with the speaker and asking nothing, is now never a request whatever its score: tellsOnly)
const CLAUSE_CERTAIN = 0.92;
/** Function words of its own language that make an answer to a procedure's question a sentence of that language. */
const MIN_FUNCTION_WORDS = 2;
/** The most words of a message that only gives a one-time code ("ok. kod dia 415764"). */
const MAX_CODE_MESSAGE_WORDS = 6;
/** The most words of a message a ticket hears (an account, not a question) that can be a request to the bot of its own. */
const MAX_HEARD_REQUEST_WORDS = 15;
/**
 * The opening words of a clause that tells and asks for nothing (requestInClauses): a reason ("that's why …", "because
 * …", "sebab tu …") or something the customer lacks ("I don't have the number", "sy x ingat no tiket").
 */
const REASON_CLAUSE =
  /^\s*(?:that'?s why|that is why|which is why|because|bcos|bcoz|coz|since|sebab|sbb|kerana|krn|pasal tu|so that|supaya|agar|(?:i\s+|sy\s+|saya\s+)?(?:don'?t|do not|dont|didn'?t|x|tak|tiada|takde|xde|tidak)\s+(?:have|ada|ingat|remember|know|tahu|tau|recall)\b)/i;
/**
 * A clause that asks to go on with what was being done ("sambung td", "ok continue where we left off", "teruskan yg
 * tadi"): it asks for no procedure of its own ("sambung" alone reads as being put through to a person).
 */
const CONTINUE_CLAUSE = /^\W*(?:ok\w*\s+|so\s+|jom\s+)?(?:sambung|smbg|teruskan|continue|resume|carry on)(?:\s+(?:balik|semula|lagi|je|la|lah|tadi|td|yang\s+tadi|yg\s+td|yg\s+tadi|where\s+we\s+left\s+off|from\s+before|the\s+previous\s+one|earlier|pasal\s+\S+\s+(?:tadi|td)))*\W*$/i;
/** The least confidence of a whole message's recognition that switches from a running procedure to another. */
const MIN_SWITCH_SCORE = 0.7;
/** The most characters of an answered question kept as the next turn's context (masked). */
const MAX_CONTEXT_CHARS = 300;
/** The most words of a message's opening clause read as a request (others: 8). */
const OPENING_CLAUSE_WORDS = 12;
/** The fewest words of an opening statement that runs its entry's procedure ("the eBiz account" is a topic). */
const MIN_OPENING_WORDS = 4;
/** Most clauses of one message read for a request (requestInClauses): each is one recognition. */
const MAX_CLAUSES = 8;
/** The part of a message split into clauses (a bounded cost at any MAX_MESSAGE_CHARS). */
const CLAUSE_TEXT_CHARS = 2000;

/** The most questions of one message answered each on its own (questionsOf): each is one recognition. */
const MAX_QUESTIONS = 3;
/**
 * Where a message puts its questions apart: after a question mark, before a numbered point ("1) … 2) …", "(a)")
 * or words that add another ("satu lagi", "lagi satu", "one more thing").
 */
const QUESTION_POINT = /^\(?(?:[1-9]|[a-c])[).]\s+/i;
const QUESTION_BREAK = /(?<=[?？])\s+|(?:^|\s)\(?(?:[1-9]|[a-c])[).]\s+|(?<!\s)\s+(?=\b(?:satu lagi|lagi satu|one more thing|another thing)\b)/i;

/**
 * The questions a message asks apart ("nak tanya 2 benda: 1) tambah nilai … kat kaunter ke? 2) data terhad boleh
 * beli online x?"): at most MAX_QUESTIONS parts of three words or more, from the first CLAUSE_TEXT_CHARS characters.
 */
function questionsOf(text: string): string[] {
  return text
    .slice(0, CLAUSE_TEXT_CHARS)
    .split(QUESTION_BREAK)
    // (a point right after a question mark keeps its number: "… ke? 2) data terhad …")
    .map((q) => (q ?? '').trim().replace(QUESTION_POINT, ''))
    .filter((q) => q.split(/\s+/).length >= 3)
    .slice(0, MAX_QUESTIONS + 1);
}

/**
 * The clauses of a message read for a request: its first and last MAX_CLAUSES / 2 (a story's request is at its
 * start, "Sy nak buat aduan. …", or at its end, "… Dah cuba 3 kali. Sy nak buat aduan la").
 */
function clausesOf(text: string): string[] {
  const all = text.slice(0, CLAUSE_TEXT_CHARS).split(CLAUSE_BREAK).map((c) => c.trim()).filter(Boolean);
  return all.length <= MAX_CLAUSES ? all : [...all.slice(0, MAX_CLAUSES / 2), ...all.slice(-MAX_CLAUSES / 2)];
}
/** Whether a clause of `text` (clausesOf) is followed by its own question mark ("… boleh?", "… can ah?"). */
function markedAsked(text: string, clause: string): boolean {
  return /^\s*[?？]/.test(text.slice(text.indexOf(clause) + clause.length));
}
/** The fewest words of a sentence that asks for a procedure by giving its values only. */
const MIN_SENTENCE_WORDS = 5;
/**
 * A declined message whose first candidate scores at least this (and which names nothing out of scope) is offered that
 * entry as a button, the nearest topic known: measured 2026-12-06 over the development sets, of the declines at 0.5 or
 * more 41 were in scope with that entry right, 9 in scope with another, 226 out of scope (7 % of the out-of-scope
 * declines); below 0.5 the entry offered is right for fewer than half the messages in scope.
 */
const DECLINE_SUGGESTION_MIN = 0.5;
/** Whether a message asks to start over ("mula semula", "start over": lexicon restartWords). */
const asksRestart = (text: string, lex: Lexicon) => phrasePattern(lex.restartWords, 'anywhere').test(text);
/** A question that only asks why ("why can't I?", "why not?", "kenapa x boleh?", "asal tak lepas?": lexicon whyWords), of at most WHY_ONLY_WORDS. */
const asksWhyOnly = (text: string, lex: Lexicon) => phrasePattern(lex.whyWords, 'start').test(text) && !/[\d@]/.test(text);
const WHY_ONLY_WORDS = 5;
/** Whether a message opens a turn to something else ("eh jap, …", "actually …", "sebelum tu …": lexicon switchOpeners). */
const turnsAside = (text: string, lex: Lexicon) => phrasePattern(lex.switchOpeners, 'start').test(text);


/** An entry the bot answers with its own words (a complete FAQ), not a procedure's. */
const answerable = (e: KnowledgeEntry | undefined): e is KnowledgeEntry => !!e && e.kind === 'faq' && e.status === 'complete' && !!e.answer;

export class SupportBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly profile: StatePropertyAccessor<Profile>;
  private readonly session: StatePropertyAccessor<Session>;
  private readonly procedureIds: Set<string>;
  /** Canonical questions (lower-cased) to their entry: a clicked suggestion goes straight to its entry. */
  private byQuestion = new Map<string, KnowledgeEntry>();
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
    this.indexQuestions();

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
   * Uses a rebuilt knowledge base and recognizer (the reviewed knowledge overlay applied, src/knowledge/overlay.ts):
   * turns that start after the call see them; a turn already running keeps the ones it started with.
   */
  useKnowledge(knowledge: KnowledgeBase, recognizer: Recognizer): void {
    this.deps.knowledge = knowledge;
    this.deps.recognizer = recognizer;
    this.indexQuestions();
  }

  private indexQuestions(): void {
    const byQuestion = new Map<string, KnowledgeEntry>();
    for (const entry of this.deps.knowledge.entries) {
      for (const lang of ['ms', 'en'] as const) byQuestion.set(normaliseQuestion(entry.question[lang]), entry);
    }
    this.byQuestion = byQuestion;
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

  /** Sends a Reply (the turn's channel renders it: src/channels/index.ts). */
  async send(context: TurnContext, reply: Reply): Promise<void> {
    // every reply says which language it is in (the web page follows it), not the locale of the message it answers
    const lang = reply.lang ?? turnLangIfSet(context);
    await context.sendActivity(toActivity(lang ? { ...reply, lang } : reply));
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
   * `menu.<pack>.question`), in the packs' order, then one per menu procedure of the registry (`menu.<id>`,
   * `menu.<id>.question`: a ticket). No pack or procedure name is written here.
   */
  private menuChoices(context: TurnContext): Choice[] {
    const choices: Choice[] = [];
    for (const pack of this.deps.knowledge.packs) {
      if (!this.deps.catalog.has(`menu.${pack}`) || !this.deps.catalog.has(`menu.${pack}.question`)) continue;
      choices.push({ title: this.t(context, `menu.${pack}`), value: this.t(context, `menu.${pack}.question`) });
    }
    for (const id of this.deps.menuProcedures ?? []) {
      if (!this.deps.catalog.has(`menu.${id}`) || !this.deps.catalog.has(`menu.${id}.question`)) continue;
      choices.push({ title: this.t(context, `menu.${id}`), value: this.t(context, `menu.${id}.question`) });
    }
    return choices;
  }

  /** A language the customer named: it sticks until they name another, and the switch is said in it. */
  private async switchLanguage(context: TurnContext, profile: Profile, lang: Lang): Promise<void> {
    profile.lang = lang;
    profile.lastLang = lang;
    profile.chosen = lang;
    setTurnLang(context, lang);
    await this.send(context, { text: this.t(context, 'lang.switched') });
  }

  /** Part of the message handled as this turn's message from here on; the activity keeps what the customer wrote. */
  private async handleMessageText(context: TurnContext, text: string): Promise<void> {
    const said = context.activity.text;
    context.activity.text = text;
    try {
      return await this.handleMessage(context);
    } finally {
      context.activity.text = said;
    }
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const text = (context.activity.text ?? '').trim();
    const profile = await this.profile.get(context, {});
    const session = await this.session.get(context, {});
    expectFreeText(context, session.freeText ?? false);

    // the text of the turn is analysed once, with the lexicon of KNOWLEDGE_DIR (the recognizer's), and shared by
    // language detection, commands, recognition and the dialogs (turnText)
    const input = analyseText(text, this.deps.recognizer.lexicon);
    setTurnText(context, input);
    const guess = detectLanguage(input, { stored: profile.lang ?? profile.lastLang, locale: context.activity.locale });
    // the language the text is written in (what it is read in) and the one the bot answers in (a language the
    // customer named sticks until they name another)
    setTextLang(context, guess.lang);
    setTurnLang(context, guess.explicitSwitch ?? profile.chosen ?? (await this.answerLanguage(context, input, guess.lang, profile.lastLang)));
    for (const hook of this.deps.beforeMessage ?? []) await hook(context);
    if (turnHandled(context)) return; // a feature answered it (e.g. a "did this help?" button)
    for (const intercept of this.deps.interceptors ?? []) {
      const taken = await intercept(context);
      if (!taken) continue;
      // (the language of a message a feature took is the conversation's, as of any other: the next turn's prior)
      profile.lastLang = turnLang(context);
      const dc = await this.dialogContext(context);
      if (taken.endProcedures || taken.procedure) await dc.cancelAllDialogs();
      if (taken.procedure) await dc.beginDialog(taken.procedure.id, taken.procedure.options);
      if (taken.rest) return this.handleMessageText(context, taken.rest);
      if (taken.answerIfAsked && guess.explicitSwitch) {
        // "boleh cakap Melayu?" while waiting: the language is switched and said so (staff read the message too)
        await this.switchLanguage(context, profile, guess.explicitSwitch);
      } else if (taken.answerIfAsked && looksLikeQuestion(input)) {
        const recognition = this.deps.recognizer.match(input, textLang(context));
        const entry = recognition.decision === 'answer' ? recognition.candidates[0]?.entry : undefined;
        if (answerable(entry)) {
          await this.answerAlone(context, entry);
          await this.send(context, taken.answerIfAsked.note);
        }
      }
      session.freeText = (freeTextExpected(context) ?? false) && !!dc.activeDialog;
      return;
    }

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
      await this.switchLanguage(context, profile, guess.explicitSwitch);
      const dc = await this.dialogContext(context);
      // "BM boleh? IC sy 900101-10-5431": after the switch, the rest of the message is read in the new language when
      // it answers the procedure's question or is itself a question the bot answers ("English please. How do I
      // upgrade my account?"); a reason ("… senang sikit nak faham") is not read
      // (a question after the switch is read with a procedure open too: "actually English is fine, sorry. will I lose my
      // internet quota and freebies if I switch?" right after a verdict)
      const rest = textAfterSwitch(text, this.deps.recognizer.lexicon);
      const restAnswered = !!rest && this.deps.recognizer.match(rest).decision === 'answer';
      const answered = session.answered;
      const entry = answered ? this.deps.knowledge.byId.get(answered.entryId) : undefined;
      // a bill just computed ("can explain in English please?" right after it) is computed again from its values, in the
      // language asked for
      const reopen = session.reopen;
      const result = reopen && this.procedureIds.has(reopen.id) && recomputable(dc.findDialog(reopen.id)) ? reopen : undefined;
      // (with an answer or a result to show again, the rest is read only when it asks something or gives values: "can
      // explain in English please? my boss nak tengok" gives a reason)
      const shown = !!(answered && entry) || !!result;
      const restAsks = () => !!rest && (looksLikeQuestion(analyseText(rest, this.deps.recognizer.lexicon)) || !!this.procedureGivenValues(dc, rest));
      const readRest =
        !!rest &&
        (dc.activeDialog
          ? absorbs(dc.findDialog(dc.activeDialog.id), dc, rest) || (restAnswered && looksLikeQuestion(analyseText(rest, this.deps.recognizer.lexicon)))
          : restAnswered && (!shown || restAsks()));
      if (readRest) return this.handleMessageText(context, rest);
      // a result just shown is shown again in the language asked for; a question still asked, asked again in it; an
      // answer just given, given again in it ("can you explain in Malay?")
      const active = dc.activeDialog ? dc.findDialog(dc.activeDialog.id) : undefined;
      if (dc.activeDialog && !(isFinished(active, dc) && (await showAgain(active, dc)))) await dc.repromptDialog();
      if (!dc.activeDialog && answered && entry) await this.respondWithEntry(dc, entry, answered.text);
      else if (!dc.activeDialog && result) {
        const options: ProcedureOptions = { text: '', prefill: result.values };
        await dc.beginDialog(result.id, options);
      }
      setActiveProcedure(context, this.openProcedure(dc));
      return;
    }
    profile.lastLang = turnLang(context);

    const dc = await this.dialogContext(context);
    // a procedure restored from before a crash whose work is already done lets this message go
    if (dc.activeDialog && (await isStale(dc.findDialog(dc.activeDialog.id), dc, text))) await dc.cancelAllDialogs();
    const command = detectCommand(input);
    const reopen = session.reopen;
    // (kept for the next turns while nothing else runs: see the end of the turn)
    if (reopen && (reopen.turns ?? 1) > 1) session.reopen = { ...reopen, turns: (reopen.turns ?? 1) - 1 };
    else delete session.reopen;
    setAnsweredBefore(context, session.answered);
    delete session.answered;
    setClarifiedBefore(context, session.clarified);
    delete session.clarified;
    setDeclinedBefore(context, session.declined);
    delete session.declined;
    setSetAside(context, session.setAside && session.setAsideValues ? { id: session.setAside, values: session.setAsideValues } : undefined);
    if (command === 'cancel') {
      const had = !!dc.activeDialog || !!session.setAside;
      if (had) noteOutcome(context, 'procedure_abandoned', { procedure: dc.stack[0]?.id ?? session.setAside });
      delete session.setAside;
      delete session.setAsideValues;
      await dc.cancelAllDialogs();
      expectFreeText(context, false);
      await this.send(context, { text: this.t(context, had ? 'cancel.done' : 'cancel.nothing'), choices: this.menuChoices(context) });
    } else if (command === 'help') {
      await this.send(context, { text: this.t(context, 'help.text'), choices: this.menuChoices(context) });
      if (dc.activeDialog) await dc.repromptDialog();
    } else if (command === 'menu') {
      await this.send(context, { text: this.t(context, 'menu.text'), choices: this.menuChoices(context) });
    } else if (dc.activeDialog && isFinished(dc.findDialog(dc.activeDialog.id), dc) && (command === 'thanks' || command === 'greeting' || closingThanks(input))) {
      // "ok tq" after a result that only offers next steps: the customer is done, not choosing a step
      await dc.cancelAllDialogs();
      expectFreeText(context, false);
      if (command === 'greeting') await this.send(context, { text: this.t(context, 'greeting.reply'), choices: this.menuChoices(context) });
      else await this.send(context, { text: this.t(context, 'thanks.reply') });
    } else if (dc.activeDialog && leavingOnly(input) && !absorbs(dc.findDialog(dc.activeDialog.id), dc, text)) {
      // "ok tu je. terima kasih byk2, selamat petang" while a procedure still asks: the customer is leaving
      noteOutcome(context, 'procedure_abandoned', { procedure: dc.stack[0]?.id });
      await dc.cancelAllDialogs();
      expectFreeText(context, false);
      await this.send(context, { text: this.t(context, 'thanks.reply') });
    } else if (dc.activeDialog) {
      await this.continueProcedure(dc, input, session);
    } else if (this.setAsideGiven(dc, session, text) && !looksLikeQuestion(input) && !cancelClauseIn(input)) {
      // "ok. skrg sambung pasal ebiz tadi. IC sy 850312-…" once the bill asked for midway is done: back to it
      // (not "ok that matches my bill, so no need to complain la. cancel the complaint": a cancel, of the one set aside)
      await this.switchTo(dc, session, session.setAside as ProcedureId, text);
    } else if (
      reopen && (findCorrection(text) || (asksWhatIf(input) && givesAnyValueFor(dc.findDialog(reopen.id), text, context))) && asksAgainFor(dc.findDialog(reopen.id), text, context) &&
      !this.reachesAfterTicketOffer(input, context) &&
      this.procedureIds.has(reopen.id) && !this.asksForAnother(text, context, reopen.id)
    ) {
      // "sorry I meant 11 April" right after the result, or "what if I switch on 25 March instead, same plans and
      // cycle?": the same procedure again, from its values, with the one given
      const options: ProcedureOptions = { text, prefill: reopen.values };
      await dc.beginDialog(reopen.id, options);
    } else if (reopen && this.procedureIds.has(reopen.id) && looksLikeQuestion(input) && !givesAnyValueFor(dc.findDialog(reopen.id), text, context) && this.askedProcedure(input, context) === reopen.id) {
      // "eh boleh terangkan dlm BM tak? kenapa x boleh tukar?" right after the check: the same check from its values
      // (its result again, in the language asked in), not a new one that asks everything again
      const options: ProcedureOptions = { text, prefill: reopen.values };
      await dc.beginDialog(reopen.id, options);
    } else if (await this.cancelWithoutProcedure(dc, input, session)) {
      // said by cancelWithoutProcedure
    } else if (asksWhatTheBotIs(text, this.deps.recognizer.lexicon)) {
      // "are you a human?", "kau ni robot ke manusia?": what the bot is, and a person one tap away (the handoff feature
      // takes the button), not the queue for a question
      const human = this.t(context, 'handoff.button.human');
      await this.send(context, { text: this.t(context, 'greeting.identity'), choices: [{ title: human, value: human }, ...this.menuChoices(context)] });
    } else if (command === 'greeting') {
      await this.send(context, { text: this.t(context, 'greeting.reply'), choices: this.menuChoices(context) });
    } else if (command === 'thanks') {
      await this.send(context, { text: this.t(context, 'thanks.reply') });
    } else if (command === 'yes' || command === 'no') {
      await this.send(context, { text: this.t(context, 'yesno.orphan'), choices: this.menuChoices(context) });
    } else {
      await this.answerQuestion(dc, input);
    }
    session.freeText = (freeTextExpected(context) ?? false) && !!dc.activeDialog;
    // the procedure set aside was asked for again: it is running, no longer set aside
    if (session.setAside && dc.stack.some((d) => d.id === session.setAside)) {
      delete session.setAside;
      delete session.setAsideValues;
    }
    const finished = finishedProcedure(context);
    if (finished && !dc.activeDialog) session.reopen = { ...finished, turns: REOPEN_TURNS };
    // another procedure at work: the one finished before is no longer what a correction is about
    else if (dc.activeDialog) delete session.reopen;
    setActiveProcedure(context, this.openProcedure(dc));
  }

  /** The procedure still at work (one that has shown its result and only offers next steps is not). */
  private openProcedure(dc: DialogContext): string | undefined {
    return dc.activeDialog && !isFinished(dc.findDialog(dc.activeDialog.id), dc) ? dc.activeDialog.id : undefined;
  }

  /**
   * Continues the active procedure, unless the message is something else (issue 15): a request for another
   * procedure, or the same one's trigger phrase again (the current one is closed and the requested one starts
   * with the slots of that message), a cancel inside a sentence, or an FAQ question (answered, then the procedure
   * asks its question again; a procedure that only offers next steps is closed instead). A message that gives a
   * value the procedure is waiting for is its answer, unless it is a sentence the recognizer reads as a request
   * for another procedure ("eh sebelum tu, tolong check dulu line 0121000001 boleh tukar ke postpaid 80 tak"
   * gives an amount, but asks for the eligibility check).
   */
  private async continueProcedure(dc: DialogContext, input: AnalysedText, session: Session): Promise<void> {
    const context = dc.context;
    const text = input.text;
    const active = dc.activeDialog ? dc.findDialog(dc.activeDialog.id) : undefined;
    const activeId = dc.activeDialog?.id;
    // a cancel clause with no value of the procedure ("eh kejap x jadi la, batal dulu. sy x pasti emel tu masih
    // aktif ke x") is a cancel, even where a yes or no is awaited and the words hold one
    // (where free text is awaited any sentence is a value: a clause that is a cancel of its own decides there, "eh x
    // pyh la. suami sy dh settle. sorry ye, batal")
    // (a question that only says again what the procedure holds asks something of its own: "btw tukar postpaid ke
    // prepaid ni kena buat kat mana ya?" while the check of that switch waits for its code)
    // (nor is one with a question after it: "cancel, nvm. where can I switch from postpaid to prepaid actually?" names a
    // switch, but asks about it)
    const cancelled = isSlotProcedure(active) && cancelClauseIn(input);
    const absorbed =
      absorbs(active, dc, text) &&
      !(cancelled && (freeTextExpected(context) || !givesAnyValueFor(active, text, context) || looksLikeQuestion(analyseText(withoutCancelClauses(input), this.deps.recognizer.lexicon)))) &&
      !(!freeTextExpected(context) && looksLikeQuestion(input) && restatesOnly(active, dc, text));
    // a one- or two-word answer to a waterfall's question (a reference, a name) is its answer, not a request
    const words = text.split(/\s+/).length;
    // "eh tak jadi la, batal", "actually never mind, cancel": a clause that is a cancel of its own closes the
    // procedure, whatever it waits for; a sentence merely holding the words ("bayaran sy tak jadi": the payment
    // failed) is an answer or a question. Where free text is awaited this is all that is checked; elsewhere a
    // request for another procedure comes first ("eh lupakan dulu, tolong kira prorata: …" switches).
    if (freeTextExpected(context) && !absorbed && cancelClauseIn(input)) {
      await this.closeAndAnswerRest(dc, input);
      return;
    }
    if (freeTextExpected(context) && activeId && detectCommand(input) === null && words >= MIN_REQUEST_WORDS) {
      // where free text is awaited, a request for another procedure in a clause of its own switches when the turn
      // opens as a turn to something else ("eh jap, sebenarnya sy nk kira pro-rata dulu la. tukar dr …") or also
      // gives that procedure's values; a description that merely mentions another procedure's subject stays the answer
      const found = this.requestInClauses(text, context);
      // back to the procedure that handed this one over only when asked for as such ("migrate my account"), not by
      // a question its entry answers ("tolong tukar ke emel baru …" in the ticket the migration handed over)
      const clause = found && !(handedOverFrom(active, dc) === found.dialog && found.entry.kind !== 'procedure') ? found : undefined;
      if (clause && clause.dialog !== activeId && !runningIds(dc).has(clause.dialog) && (turnsAside(text, this.deps.recognizer.lexicon) || givesValuesFor(dc.findDialog(clause.dialog), text, context))) {
        await this.switchTo(dc, session, clause.dialog as ProcedureId, text, clause.entryId);
        return;
      }
      if (!clause && turnsAside(text, this.deps.recognizer.lexicon)) {
        // "eh jap, sebenarnya sy nk tau dulu line sy boleh tukar ke prepaid ke x. no 012-100 0001": the whole
        // message asks for another procedure and gives its values
        const recognition = this.deps.recognizer.match(withoutRequestsTakenBack(input), textLang(context));
        const entry = recognition.decision === 'answer' ? recognition.candidates[0]?.entry : undefined;
        const wanted = this.requestedProcedure(entry, text, context) ?? this.procedureGivenValues(dc, text);
        if (wanted && wanted !== activeId && !runningIds(dc).has(wanted) && givesValuesFor(dc.findDialog(wanted), text, context)) {
          await this.switchTo(dc, session, wanted, text, entry?.id);
          return;
        }
        // "wait, can restricted data even be bought online?" where the description is asked: a question turned to
        // aside, that the bot answers outright, is answered, and the description asked again
        if (!absorbed && looksLikeQuestion(input) && answerable(entry) && !givesAnyValueFor(active, text, context)) {
          await this.answerAlone(context, entry);
          await dc.repromptDialog();
          return;
        }
      }
    }
    // the trigger phrase again where free text is awaited ("wait, let me start over. I want to make a complaint"
    // while the description is asked): a request for the running slot procedure that gives none of its values,
    // even from scratch, restarts it instead of being taken as the answer
    if (freeTextExpected(context) && !absorbed && activeId && detectCommand(input) === null && givesNothingFor(active, text, context)) {
      const start = this.startOf(context, text);
      const recognition = start ? undefined : this.deps.recognizer.match(input, textLang(context));
      const entry = recognition?.decision === 'answer' ? recognition.candidates[0]?.entry : undefined;
      if ((start ?? this.requestedProcedure(entry, text, context)) === activeId) {
        await dc.cancelAllDialogs();
        noteOutcome(context, 'procedure_started', { procedure: activeId });
        const options: ProcedureOptions = { text, ...(entry ? { entryId: entry.id } : {}) };
        await dc.beginDialog(activeId, options);
        return;
      }
    }
    // the procedure set aside for this one, given its value ("ok. skrg sambung pasal ebiz tadi. IC sy 850312-…"
    // after the bill asked for midway): back to it, whatever the words around the value name
    // (a question that names the set-aside procedure's words, "syarat tukar postpaid ke postpaid apa ye?", asks; it is
    // no value given back to it)
    if (!absorbed && !freeTextExpected(context) && detectCommand(input) === null && !looksLikeQuestion(input) && this.setAsideGiven(dc, session, text)) {
      await this.switchTo(dc, session, session.setAside as ProcedureId, text);
      return;
    }
    if (!freeTextExpected(context) && detectCommand(input) === null && words >= (isSlotProcedure(active) ? 2 : 3)) {
      const start = this.startOf(context, text);
      // what the message asks, without the clauses that take a request back ("no need for a complaint")
      const asked = withoutRequestsTakenBack(input);
      const recognition = this.deps.recognizer.match(asked, textLang(context));
      const top = recognition.candidates[0];
      const entry = start ? undefined : recognition.decision === 'answer' ? top?.entry : undefined;
      // a request in a clause of its own ("eh jap, sy nk buat aduan. bil sy bulan lepas …"), for another procedure
      // (the running one's trigger phrase is the whole message's to decide)
      // (a ticket hearing an account that asks nothing: only a clause worded as a request asks for another procedure)
      const hearing = hearsAccount(active) && !turnsAside(text, this.deps.recognizer.lexicon) && !looksLikeQuestion(input);
      const inClause = start ? undefined : this.requestInClauses(text, context, hearing);
      const handedFrom = handedOverFrom(active, dc);
      const clause = inClause && inClause.dialog !== activeId ? inClause : undefined;
      // the whole message asks for another procedure when recognised with some confidence or worded as a request
      // ("hmm I'm sure that's the number from last week. ok I'll check my email again" names a line at 0.56, and its
      // only request word is in what the customer will do: no request to check a line)
      const askedInWords = asksInWords(asked);
      // an FAQ that only offers its procedure is asked for by the values a message gives, when the message asks in
      // words: a description full of values ("Billing. My April bill charged the full RM80 instead of pro-rata
      // after I downgraded to RM58 on 11 April", the ticket's details) asks for no bill
      // (and so is anything a ticket hears that only tells: src/bot/procedure.ts hearsAccount)
      const offersOnly = (entry?.kind === 'faq' && entry.procedure?.mode === 'offer') || hearing;
      // (a long account the ticket hears asks its request of the staff: "Bil Jun 2026 caj penuh pelan lama RM80 dan pelan
      // baru RM100 walaupun sy tukar pada 30 Jun. Mohon semak dan pulangkan lebihan caj." asks for no bill from the bot)
      // (nor does a customer saying they will do it themselves: "ok nanti sy hubungi khidmat pelanggan. tq")
      const told = (hearing && words > MAX_HEARD_REQUEST_WORDS) || doesItThemselves(input);
      const sure = top && !told && (top.score >= MIN_SWITCH_SCORE || askedInWords) && (!offersOnly || askedInWords) ? entry : undefined;
      // a hesitant recognition of a request in words that fills one of its candidates' procedures ("eh also can check my
      // line 012-100 0001 switch to prepaid or not", between the switch's conditions and the check; "wait, can my line
      // even switch? 012-100 0001, postpaid to postpaid" is read as nothing sure, but it gives the check its values)
      const filled = recognition.decision !== 'answer' && (askedInWords || turnsAside(text, this.deps.recognizer.lexicon)) ? this.filledAmong(recognition, dc, text) : undefined;
      const procedure =
        start ?? (clause?.dialog as ProcedureId | undefined) ?? this.requestedProcedure(sure, text, context) ?? (filled?.procedure?.dialog as ProcedureId | undefined);
      // a button pressed, or a next step a finished procedure offers ("Calculate the pro-rata bill"), is its answer
      // (unless a clause of its own asks for another procedure: "… x sampai RM100 pun. sy nk buat aduan bil")
      // (and the next step is no answer when the message asks for another procedure and gives it its values: "so kalau
      // tukar dr Postpaid 58 ke Postpaid 80 pd 11hb April, kitaran bil mula 1hb April 2026, berapa bil?" after the line's
      // verdict asks the bill, it is no new plan for the check)
      const asksOther = !!procedure && procedure !== activeId && isFinished(active, dc) && givesValuesFor(dc.findDialog(procedure), text, context);
      const pressed = choiceOf(context.activity) !== undefined || (isFinished(active, dc) && !clause && !asksOther);
      // a correction that gives a value ("eh salah, pelan baru RM98 bukan 80") is an answer, unless one of its
      // clauses asks for the other procedure by itself
      const corrects = absorbed && !!findCorrection(text) && clause?.dialog !== procedure;
      // an answer to the question asked switches only when it asks for the other procedure in words ("eh, nak semak
      // kelayakan dulu"): "it's about the eBiz account" at the ticket's category question names a topic, no request
      // (a ticket hearing the customer's account takes "tolong semak" with its contact as part of it)
      const worded = !absorbed || !!clause || asksOther || turnsAside(text, this.deps.recognizer.lexicon) || (askedInWords && (!hearsAccount(active) || looksLikeQuestion(input)));
      const another = !!procedure && !runningIds(dc).has(procedure) && words >= MIN_REQUEST_WORDS && !pressed && !corrects && worded;
      // (unless what follows the cancel gives it new values: "ok nvm. now my daughter's line 013-100 0001, she wants another
      // prepaid plan" after the verdict on another line is that line's check, below)
      if (procedure && procedure === activeId && cancelClauseIn(input) && !givesValuesFor(active, afterCancelClauses(input), context)) {
        // "tak jadi la, x payah kira. batal": the procedure named with a cancel is closed, not started again
        await this.closeProcedure(dc);
        return;
      }
      // the running procedure asked for again restarts it, unless the message is a question about it ("kenapa nk
      // tau tarikh kitaran bil semua ni?") and says nothing of starting again
      const restartsItself = procedure === activeId && (!looksLikeQuestion(input) || asksRestart(text, this.deps.recognizer.lexicon));
      // the procedure the running one's question offers ("Shall I raise a ticket …?"), asked for in words: the yes
      const offered = !!procedure && offeredBy(active, dc) === procedure;
      // back to the procedure that handed this one over, only when a clause asks for it in words
      const loop = !!procedure && handedFrom === procedure && !(clause?.dialog === procedure && clause.entry.kind === 'procedure');
      // the finished procedure asked about again ("kenapa x boleh tukar?" right after the verdict), with nothing new:
      // its result again, in the language asked in, not the procedure from the start
      // (asked for by the whole message or by a clause of it: "eh boleh terangkan dlm BM tak? kenapa x boleh tukar?")
      const askedAgain = (procedure ?? inClause?.dialog) === activeId && (!procedure || !restartsItself);
      // (so is a bare "why?" about it: "why can't I?", "kenapa x boleh?")
      // (or a message that opens with it and tells what the customer did not expect: "eh kenapa pulak? sy x tau pun line
      // kena suspend, bil sy bayar je tiap bulan" is about the verdict, which lists the reason, not a new check)
      const opening = text.split(/(?<=[?!.])\s+/, 1)[0]!;
      const openingWords = opening.trim().split(/\s+/);
      // (after a word of politeness or surprise at most: "eh", "alamak")
      const openingWhy = openingWords.slice(this.deps.recognizer.lexicon.commands.politeness.has(openingWords[0]!.toLowerCase().replace(/(?<!\W)\W+$/, '')) ? 1 : 0).join(' ');
      // (what follows may name another entry's topic when it only tells about the customer: "eh kenapa? sy bayar bil
      // postpaid tiap2 bulan")
      // (a type it names there is no new value: "postpaid" in "sy bayar bil postpaid tiap2 bulan")
      const openingWhyOnly = opening !== text && asksWhyOnly(openingWhy, this.deps.recognizer.lexicon) && openingWords.length <= WHY_ONLY_WORDS;
      const restTells = openingWhyOnly && this.tellsOnlyAll(clausesOf(text.slice(opening.length)), context);
      const whyFirst = openingWhyOnly && (!entry || entry.procedure?.dialog === activeId || restTells);
      const why = ((asksWhyOnly(text, this.deps.recognizer.lexicon) && words <= WHY_ONLY_WORDS) || whyFirst) && !procedure;
      if ((askedAgain || why) && isFinished(active, dc) && (restTells || !givesAnyValueFor(active, text, context)) && (await showAgain(active, dc))) return;
      // the finished procedure given what it needs anew ("ok, now my daughter's line 013-100 0001, also to a different
      // prepaid plan" after the son's verdict): it runs again with them
      // (a "what if" it takes that names no number of its own is its run again from its values: "kalau tukar ke postpaid
      // pulak boleh?", the same line)
      const again = absorbed && asksWhatIf(input) && !/\d/.test(text);
      // (unless the message asks for another procedure with its values: asksOther)
      if (activeId && isFinished(active, dc) && !findCorrection(text) && !again && !asksOther && givesValuesFor(active, text, context)) {
        await this.switchTo(dc, session, activeId as ProcedureId, text);
        return;
      }
      // a cancel that asks nothing ("sy x pasti email tu masih boleh guna. batal dulu la, nanti sy check dgn anak sy"):
      // the procedure is closed; the topic its words name is no request for another (one asked in a clause of its own,
      // in a question, or with its values, still is: "actually forget it, first tell me if my line can even switch.
      // 012-100 0001 to a bigger postpaid plan")
      const cancelsOnly =
        cancelClauseIn(input) && !start && !clause && !looksLikeQuestion(input) && !(procedure && givesValuesFor(dc.findDialog(procedure), text, context)) &&
        // ("actually nvm that first, I need to migrate my old eBiz account more urgently. IC 900101-10-5431": another
        // procedure asked for, with a value of its own: a number or an address, not a story any ticket would take)
        !(procedure && procedure !== activeId && input.identifiers.length > 0 && givesAnyValueFor(dc.findDialog(procedure), text, context));
      if (procedure && this.procedureIds.has(procedure) && (procedure !== activeId || restartsItself) && (!absorbed || another) && !offered && !loop && !cancelsOnly) {
        await this.switchTo(dc, session, procedure, text, clause?.entryId ?? entry?.id ?? filled?.id);
        return;
      }
      if (!absorbed && cancelClauseIn(input)) {
        await this.closeAndAnswerRest(dc, input);
        return;
      }
      // a question a finished procedure cannot take, whose entry the sources leave incomplete ("ok nvm. can all users
      // apply for remit?" where only a ticket reference is offered): asked anew, its answer says so and offers a ticket
      if (!absorbed && !offered && isFinished(active, dc) && entry?.kind === 'faq' && !answerable(entry) && looksLikeQuestion(input)) {
        await dc.cancelAllDialogs();
        expectFreeText(context, false);
        await this.respondWithEntry(dc, entry, text);
        return;
      }
      // (the procedure the question offers, asked for in words, is the answer to that question, not an FAQ's cue:
      // "ok tolong buatkan aduan la. pasal akaun eBiz, emel lama dah x aktif" at "Shall I raise a ticket …?")
      if (!absorbed && !offered && answerable(entry) && (looksLikeQuestion(input) || (isSlotProcedure(active) && words >= 4))) {
        await this.answerAlone(context, entry);
        // a procedure that only offers a next step (its work done) is left for the question (the answer is then the
        // context of the next turn, as any answer: "hubungi sy di …" files a ticket about it); another asks again
        if (isFinished(active, dc)) {
          await dc.cancelAllDialogs();
          await this.rememberAnswered(context, entry, text);
        } else await dc.repromptDialog();
        return;
      }
      // a question that refers back to a finished procedure's result, which the bot is unsure of alone ("ok where do I go
      // to do it? can do in the MyDigi app?" after a switch's verdict): read with what that result is about
      const topic = !absorbed && !procedure && recognition.decision !== 'answer' && looksLikeQuestion(input) && isFinished(active, dc) ? topicOf(active, dc, textLang(context)) : undefined;
      const referred = topic ? this.deps.recognizer.match(analyseText(`${asked.text} ${topic}`, this.deps.recognizer.lexicon), textLang(context)) : undefined;
      // (or, unsure with it too, when the question alone and the question with the result's words lead to the same
      // entry: "ok where do I go to do it?" leans to where to switch, and only a place is asked)
      const referredTop = referred?.candidates[0]?.entry;
      const referredEntry = referred?.decision === 'answer' || (referredTop !== undefined && referredTop === recognition.candidates[0]?.entry) ? referredTop : undefined;
      if (answerable(referredEntry) && this.deps.knowledge.entries.some((e) => e.pack === referredEntry.pack && e.procedure?.dialog === activeId)) {
        await this.answerAlone(context, referredEntry);
        await dc.cancelAllDialogs();
        await this.rememberAnswered(context, referredEntry, text);
        return;
      }
      // a question aside the bot is unsure of ("jap, kalau sy tukar nanti pelan lama sy (Demo Postpaid 40) tu boleh amik
      // balik x?" while the code is awaited): the entries it may mean, then the procedure's question again (not "the
      // code has 6 digits")
      if (!absorbed && !procedure && recognition.decision === 'clarify' && looksLikeQuestion(input) && isSlotProcedure(active) && !isFinished(active, dc) && !givesAnyValueFor(active, text, context)) {
        await this.clarify(context, recognition);
        await dc.repromptDialog();
        return;
      }
    }
    if (!/\d/.test(text) && !findCorrection(text) && !givesAnyValueFor(active, text, context) && !looksLikeQuestion(input) && endsHoldingOn(text, this.deps.recognizer.lexicon)) {
      // "billing cycle first day... hold on let me check my old bill": asked to wait; the question stays open
      await this.send(context, { text: this.t(context, 'hold-on.reply') });
      return;
    }
    if (activeId && !absorbed && !isFinished(active, dc) && !offeredBy(active, dc) && !freeTextExpected(context) && !/\d/.test(text) && input.identifiers.length === 0 && !givesAnyValueFor(active, text, context) && !looksLikeQuestion(input) && doesItThemselves(input)) {
      // "hmm I'm sure that's the number from last week. ok I'll check my email again" where a reference is asked: the
      // customer goes to find it (no wait asked, as "hold on, let me find my bill" asks); the procedure is closed, and
      // they are told to come back when they have it, instead of the question asked again ("ok faham, nanti sy pergi
      // kaunter. emel tadi tu betul, teruskan" answers the question: absorbed; where a ticket is offered, "ok nanti sy
      // hubungi khidmat pelanggan" is the procedure's own no: dialogs/migration.ts)
      await this.closeProcedure(dc, 'later.reply');
      return;
    }
    const procedure = dc.stack[0]?.id;
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.complete) noteOutcome(context, 'procedure_completed', { procedure });
    if (result.status === DialogTurnStatus.empty) await this.answerQuestion(dc, input);
  }

  /**
   * The procedure a recognised entry asks for: one it runs instead of or after its answer, or one it only offers
   * when the message already gives that procedure's values (a line and a plan: the check is wanted, not explained).
   */
  private requestedProcedure(entry: KnowledgeEntry | undefined, text: string, context: TurnContext): ProcedureId | undefined {
    const procedure = entry?.procedure;
    if (!procedure || !this.procedureIds.has(procedure.dialog)) return undefined;
    if (procedure.mode !== 'offer') return procedure.dialog;
    if (givesValuesFor(this.dialogs.find(procedure.dialog), text, context)) return procedure.dialog;
    // the ticket an entry offers, asked for in a clause worded as a request (no question) with a way to reach the
    // customer said as such: "wah RM300? please waive that penalty, you can email me at …" (also right after a line's
    // verdict); an address merely given ("tolong migrate akaun sy la, emel sy …") is the value of another procedure
    if (procedure.dialog !== 'ticket' || !CONTACT_ME.test(text) || !givesContact(text, !!verifiedPhone(context))) return undefined;
    const lex = this.deps.recognizer.lexicon;
    const requests = clausesOf(text).some((c) => {
      const clause = analyseText(c, lex);
      return asksInWords(withoutRequestsTakenBack(clause)) && !takesRequestBack(clause) && !looksLikeQuestion(clause);
    });
    return requests ? 'ticket' : undefined;
  }

  /**
   * A cancel clause with a question beside it ("actually never mind, can you tell me how to upgrade my ebiz account
   * instead", "eh tak jadi la, batal. sy nak tanya je, dokumen apa perlu bawa …?"): the procedure closed and the
   * question answered (read without the cancel's words, which are no part of it); without one, closed and said.
   */
  private async closeAndAnswerRest(dc: DialogContext, input: AnalysedText): Promise<void> {
    const context = dc.context;
    const rest = analyseText(withoutCancelClauses(input), this.deps.recognizer.lexicon);
    const asked = rest.text === '' ? undefined : this.deps.recognizer.match(rest, textLang(context));
    const question = asked?.decision === 'answer' ? asked.candidates[0]?.entry : undefined;
    // (one the sources leave incomplete too: its answer says so and offers a ticket)
    if (question?.kind === 'faq' && looksLikeQuestion(rest)) {
      noteOutcome(context, 'procedure_abandoned', { procedure: dc.stack[0]?.id });
      await dc.cancelAllDialogs();
      expectFreeText(context, false);
      await this.respondWithEntry(dc, question, rest.text);
      return;
    }
    await this.closeProcedure(dc);
  }

  /**
   * The customer cancelled the running procedure inside a sentence (or is going to find what it asks: 'later.reply'):
   * closed, said, the menu offered.
   */
  private async closeProcedure(dc: DialogContext, said: 'cancel.done' | 'later.reply' = 'cancel.done'): Promise<void> {
    noteOutcome(dc.context, 'procedure_abandoned', { procedure: dc.stack[0]?.id });
    await dc.cancelAllDialogs();
    expectFreeText(dc.context, false);
    await this.send(dc.context, { text: this.t(dc.context, said), choices: this.menuChoices(dc.context) });
  }

  /**
   * No procedure runs and the message cancels inside a sentence ("semak line tu x payah la, batal"): it never
   * starts the procedure it names. The one set aside by a switch is closed (said done); otherwise there is
   * nothing to cancel. A cancel that names nothing the bot would start is read as a question (false).
   */
  private async cancelWithoutProcedure(dc: DialogContext, input: AnalysedText, session: Session): Promise<boolean> {
    if (!cancelClauseIn(input)) return false;
    const context = dc.context;
    const start = this.startOf(context, input.text);
    const recognition = this.deps.recognizer.match(input, textLang(context));
    const top = recognition.decision === 'answer' ? recognition.candidates[0]?.entry : undefined;
    const procedure = start ?? this.requestedProcedure(top, input.text, context);
    if (!procedure && !session.setAside) return false;
    // a procedure asked for after the cancel ("takpe la, rugi sikit je. line sy ni boleh tukar ke postpaid x?
    // 013-100 0003"): the cancel was about what came before (an answer's bad news), the request stands
    const after = afterCancelClauses(input);
    if (procedure && after !== '' && (this.startOf(context, after) ?? this.requestInClauses(after, context)?.dialog ?? this.procedureGivenValues(dc, after)) === procedure) return false;
    const setAside = session.setAside;
    delete session.setAside;
    delete session.setAsideValues;
    if (setAside) noteOutcome(context, 'procedure_abandoned', { procedure: setAside });
    await this.send(context, { text: this.t(context, setAside ? 'cancel.done' : 'cancel.nothing'), choices: this.menuChoices(context) });
    return true;
  }

  /**
   * Among the first candidates of a hesitant recognition, the entry of a procedure the message fills (givesValues),
   * or one it gives a value of while asking for an action in words ("my number is 013-100 0005. Could you verify I
   * haven't hit the monthly switch limit?": lexicon requestActions, check, semak, verify) or, in a clarification, that
   * runs its procedure after its answer.
   */
  private filledAmong(recognition: Recognition, dc: DialogContext, text: string): KnowledgeEntry | undefined {
    const lex = this.deps.recognizer.lexicon;
    const input = turnInput(dc.context, text);
    // (the action words of a clause that asks for nothing do not count: "hang on, let me check my old bill")
    const asked = withoutRequestsTakenBack(typeof input === 'string' ? analyseText(input, lex) : input);
    // (and with a value written as such, a number or an address: any story is a ticket's description, so "kaunter tu
    // buka hari Sabtu? … dengar dah pindah" gives the ticket a value and names an action, yet asks for no ticket)
    const acts = asked.expanded.some((w) => lex.requestActions.has(w)) && /\d|@/.test(text);
    return recognition.candidates
      .slice(0, 3)
      .map((c) => c.entry)
      .find((e) => {
        if (!e.procedure || !this.procedureIds.has(e.procedure.dialog)) return false;
        const dialog = dc.findDialog(e.procedure.dialog);
        // (an entry that runs its procedure after its answer is taken up by that procedure's value alone: "… now her old
        // ID doesn't work. Her email is aminah…@example.com" between the old login and the old e-mail)
        // (in a clarification only: "sorry, the correct email is …", read as nothing sure after a ticket, asks for no migration)
        const takenUp = e.procedure.mode === 'after' && recognition.decision === 'clarify';
        return givesValuesFor(dialog, text, dc.context) || ((acts || takenUp) && givesAnyValueFor(dialog, text, dc.context));
      });
  }

  /** Whether the message gives a value of the procedure set aside for another (then it goes back to it). */
  private setAsideGiven(dc: DialogContext, session: Session, text: string): boolean {
    const aside = session.setAside;
    if (!aside || aside === dc.activeDialog?.id || !this.procedureIds.has(aside)) return false;
    const dialog = dc.findDialog(aside);
    return givesAnyValueFor(dialog, text, dc.context) || (!!session.setAsideValues && answersPendingFor(dialog, text, session.setAsideValues));
  }

  /**
   * The one procedure whose values the message gives (procedureGivenValues), when an entry of the same pack as `entry`
   * runs it (a plan switch's question and the check of a line; not an eBiz question and a line's check).
   */
  private givenInPack(dc: DialogContext, entry: KnowledgeEntry, text: string): ProcedureId | undefined {
    const given = this.procedureGivenValues(dc, text);
    return given && this.deps.knowledge.entries.some((e) => e.pack === entry.pack && e.procedure?.dialog === given) ? given : undefined;
  }

  /** The procedure of `entry`'s pack among the first candidates that the message gives a value of and asks an action on (filledAmong). */
  private actedOnInPack(recognition: Recognition, dc: DialogContext, entry: KnowledgeEntry, text: string): ProcedureId | undefined {
    const filled = this.filledAmong(recognition, dc, text);
    return filled?.pack === entry.pack ? (filled.procedure?.dialog as ProcedureId | undefined) : undefined;
  }

  /** The one procedure whose values the message gives (givesValues: a line and a switch, two fees …), if exactly one. */
  /**
   * Whether a procedure (its entry, or the entry that runs it) gives every quantity a declined message asks for
   * (recognition.asks): "berapa GB lagi kuota sy? nombor 012-100 0001" gives a line, yet asks for no check of it. (A
   * message that names a plan change or a switch asks for it, whatever it says of the plan wanted: "nak tukar ke pelan
   * prepaid lain yang ada unlimited data tu. line prepaid saya 013 100 0002", "I want another prepaid plan, one with
   * unlimited data. my prepaid line is …" ask for that line's check.)
   */
  private givesAsked(procedure: string | KnowledgeEntry, recognition: Recognition): boolean {
    if (recognition.decision !== 'fallback' || !recognition.asks?.length) return true;
    if (recognition.features.some((f) => f === '#change' || f.startsWith('#dir:'))) return true;
    const entry = typeof procedure === 'string' ? this.deps.knowledge.entries.find((e) => e.kind === 'procedure' && e.procedure?.dialog === procedure) : procedure;
    return !!entry && recognition.asks.every((k) => entry.gives?.includes(k));
  }

  private procedureGivenValues(dc: DialogContext, text: string): ProcedureId | undefined {
    const given = [...this.procedureIds].filter((id) => givesValuesFor(dc.findDialog(id), text, dc.context));
    return given.length === 1 ? (given[0] as ProcedureId) : undefined;
  }

  /** Closes the running procedure and starts `procedure` with the message's values (the one closed is set aside). */
  private async switchTo(dc: DialogContext, session: Session, procedure: ProcedureId, text: string, entryId?: string): Promise<void> {
    const context = dc.context;
    const activeId = dc.activeDialog?.id;
    const active = activeId ? dc.findDialog(activeId) : undefined;
    // (going back to the procedure set aside, its own values come back, not what the one finished meanwhile hands over)
    // (nor after a cancel of it: "ok nvm, forget the line. Just help me calculate pro-rata for my wife's plan change")
    const said = turnInput(context, text);
    const dropped = cancelClauseIn(typeof said === 'string' ? analyseText(said, this.deps.recognizer.lexicon) : said);
    const prefill = procedure === session.setAside || dropped ? undefined : handsOver(active, dc, procedure);
    const handover = dropped ? undefined : handoverOf(active, dc, procedure);
    // a procedure whose work is done (a result shown, next steps offered) is closed, not set aside
    const unfinished = !!activeId && !isFinished(active, dc);
    const values = unfinished ? slotValues(active, dc) : undefined;
    await dc.cancelAllDialogs();
    if (procedure !== activeId && unfinished) {
      // the one set aside is remembered: a later "cancel that one" closes it instead of starting it again, a
      // later value of its own goes back to it, and asked for again it starts from the values it had
      session.setAside = activeId;
      if (values) session.setAsideValues = values;
      else delete session.setAsideValues;
      await this.send(context, { text: this.t(context, 'engine.switched') });
    }
    const options: ProcedureOptions = { text, ...(entryId ? { entryId } : {}), ...(prefill ? { prefill } : {}), ...(handover ? { handover } : {}) };
    noteOutcome(context, 'procedure_started', { procedure });
    await dc.beginDialog(procedure, options);
  }

  /**
   * The language to answer a message in when the customer named none: the one it is written in, except for an answer to
   * the running procedure's question in words of both languages ("kategori eBiz purchase", "switch on 15 Feb 2026,
   * billing cycle start 1 Feb 2026" in a Malay conversation), which keeps the conversation's language; a sentence of the
   * other language (MIN_FUNCTION_WORDS of its own function words: "the correct date is 15 Feb") changes it.
   */
  private async answerLanguage(context: TurnContext, input: AnalysedText, written: Lang, conversation: Lang | undefined): Promise<Lang> {
    if (!conversation || conversation === written) return written;
    const lex = input.lex;
    const own = input.tokens.filter((w) => lex.stopwords[written].has(w) && !lex.stopwords[conversation].has(w)).length;
    if (own >= MIN_FUNCTION_WORDS) return written;
    const dc = await this.dialogContext(context);
    const active = dc.activeDialog ? dc.findDialog(dc.activeDialog.id) : undefined;
    return active && !isFinished(active, dc) && absorbs(active, dc, input.text) ? conversation : written;
  }

  /**
   * Whether there are clauses and each only tells about the customer (tellsOnly: nothing asked, no problem reported) and
   * gives no value (no number, no address).
   */
  private tellsOnlyAll(clauses: string[], context: TurnContext): boolean {
    const lexicon = this.deps.recognizer.lexicon;
    return (
      clauses.length > 0 &&
      // (a digit doubling a word, "tiap2", is no value)
      clauses.every((clause) => !/\d{2,}|(?<!\p{L})\d|@/u.test(clause)) &&
      clauses.every((clause) => {
        const analysed = analyseText(clause, lexicon);
        return tellsOnly(analysed, this.deps.recognizer.match(analysed, textLang(context)).features);
      })
    );
  }

  /**
   * The procedure a message asks for in one of its short clauses, its details or story around it: "I want to
   * raise a ticket: my top-up …" (a head before a colon answered by an entry with a procedure), "Need to compute
   * prorata. Downgrading from Postpaid 128 to Postpaid 58", "Salam, sy nk buat aduan. Sy dah beli …" (a
   * sentence or comma clause of up to 8 words recognised as a request to run a procedure; one word only when
   * certain). The story would otherwise pull the whole message's recognition towards the FAQ entries it mentions. A request followed by a
   * question of its own ("Sy nak semak kelayakan. Tapi masih kontrak, kena penalti ke?") is left to the whole
   * message: the question is what the customer asks. At most MAX_CLAUSES clauses are read (clausesOf: a bounded cost).
   * `wordedOnly`: only a clause worded as a request counts, and none that gives a way to reach the customer (a ticket
   * hearing the customer's account: "… pro-rata should be around RM76" tells, it asks for no bill).
   */
  private requestInClauses(text: string, context: TurnContext, wordedOnly = false): { dialog: string; entryId: string; entry: KnowledgeEntry } | undefined {
    const lexicon = this.deps.recognizer.lexicon;
    const recognise = (clause: string, asRequest = false, least = 0) => {
      const analysed = analyseText(clause, lexicon);
      if (wordedOnly && !asksInWords(analysed)) return undefined;
      const recognition = this.deps.recognizer.match(analysed, textLang(context));
      const top = recognition.candidates[0];
      if (recognition.decision !== 'answer' || !top || top.score < least) return undefined;
      // a clause that takes a request back ("no need for a complaint", "x payah buat aduan") asks for nothing
      if (asRequest && takesRequestBack(analysed)) return undefined;
      // a clause whose only words of substance are request words ("ok sy dah check", "tolong ya") names nothing to do
      const content = analysed.expanded.filter((w) => /\p{L}/u.test(w) && !lexicon.stopwords.ms.has(w) && !lexicon.stopwords.en.has(w));
      if (asRequest && content.length > 0 && content.every((w) => lexicon.requestWords.has(w))) return undefined;
      // a clause that only tells about the customer ("I pay my bill every month", "my bill this month is wrong") is
      // no request, however close its words are to one
      if (asRequest && tellsOnly(analysed, recognition.features)) return undefined;
      // a clause read as a request on its own: certain, or fairly sure and worded as a request
      if (asRequest && top.score < CLAUSE_CERTAIN && (top.score < CLAUSE_REQUEST_CONFIDENCE || !asksInWords(analysed))) return undefined;
      return top;
    };
    // (the head is the sentence the colon ends; one word after a sentence labels a value: "Need to migrate old eBiz
    // account. Email: …")
    const sentencesBefore = /^([^:\n]{2,80}):\s+\S/.exec(text)?.[1]?.split(/(?<![.!?])[.!?]+\s+/);
    const head = sentencesBefore?.[sentencesBefore.length - 1];
    const headWords = head?.trim().split(/\s+/).length ?? 0;
    // (so does a head after a sentence whose colon is followed by one value alone: "Tolong pindahkan akaun eBiz lama sy ke
    // sistem baru. Email berdaftar: rosnah@…" asks in its first sentence; "Email berdaftar" labels the address)
    // (and by the closing of a letter, "Email berdaftar: …. Mohon bantuan."; read only where a sentence stands before)
    const labelsValue = !!sentencesBefore && sentencesBefore.length > 1 && labelsOneValue(text.slice(text.indexOf(':') + 1), lexicon);
    if (head && !labelsValue && headWords <= 8 && (headWords >= 2 || sentencesBefore!.length === 1)) {
      // (an FAQ's head is read as a request: "it's about an eBiz purchase: …", a ticket's category, names a topic, not a
      // migration; "Reporting a problem: …" names the procedure itself)
      const named = recognise(head)?.entry;
      const entry = named?.kind === 'procedure' ? named : recognise(head, true)?.entry;
      // (a number or an address after it that its procedure does not take is another's value, as in a clause below:
      // "ok. next staff: Aminah, IC 850312-14-5672" gives the migration its MyKad, no ticket)
      const rest = text.slice(text.indexOf(':') + 1);
      const foreign = !!entry?.procedure && /\d{4}|@/.test(rest) && !givesAnyValueFor(this.dialogs.find(entry.procedure.dialog), rest, context);
      if (entry?.procedure && this.procedureIds.has(entry.procedure.dialog) && !foreign) return { dialog: entry.procedure.dialog, entryId: entry.id, entry };
    }
    const clauses = clausesOf(text);
    if (clauses.length < 2) return undefined;
    // (the whole message recognised once, when a clause needs it; whether it holds an identifier a procedure takes, the same)
    let whole: Recognition | undefined;
    let identifies: boolean | undefined;
    // (the message's analysis: the turn's own when it is the turn's text)
    let analysed: AnalysedText | undefined;
    const wholeText = () => (analysed ??= asAnalysedText(turnInput(context, text), lexicon));
    // (clauses worded as a request first: "tu la, bil sy RM138. ni mesti silap. nak buat aduan, emel sy …" asks for a
    // ticket, though "bil sy RM138" names a bill and its amount)
    const worded = clauses.map((c) => asksInWords(analyseText(c, lexicon)));
    const order = [...clauses.keys()].sort((x, y) => Number(worded[y]) - Number(worded[x]) || x - y);
    for (const i of order) {
      const clause = clauses[i]!;
      let saidOf: AnalysedText | undefined;
      const said = () => (saidOf ??= analyseText(clause, lexicon));
      const words = clause.split(/\s+/).length;
      // the message's opening statement (after a greeting): "Hi, I can't log in to eBiz with my old user ID. I'm
      // not Malaysian, I registered with my passport" — what follows is its story
      const opening = clauses.slice(0, i).every((c) => c.split(/\s+/).length <= 2);
      // a correction's clause ("eh salah", "yg betul …") is about a value, never a request; a longer clause is one only
      // when it gives a procedure its values ("actually never mind the complaint, just check whether 012-100 0001 can
      // switch to another postpaid plan")
      // (a soft marker in a clause worded as a request and holding no value asks: "eh tak jadi, sy nk buat aduan
      // sebenarnya. bulan lepas …")
      if (findCorrection(clause) && (/\d|@/.test(clause) || !asksInWords(analyseText(clause, lexicon)))) continue;
      // a reason's clause ("I'm moving overseas for work, that's why I need to switch", "sbb tu la nak tukar") tells why,
      // and one of what the customer lacks ("I don't have the number, just list all my tickets") tells that: they ask
      // for nothing
      if (REASON_CLAUSE.test(clause) || CONTINUE_CLAUSE.test(clause)) continue;
      // nor does the closing of a letter ("… Emel berdaftar: …. Mohon bantuan."): a courtesy, no request for a person
      if (signsOff(clause, lexicon)) continue;
      // nor, to a ticket hearing the customer (wordedOnly), one that gives a way to reach them ("you can reach me on this
      // number, 012-…", "hubungi sy di …"): it answers the ticket
      if (wordedOnly && CONTACT_ME.test(clause)) continue;
      // (an opening measured without its particles: "Akaun lama sy kat eBiz dulu tu tolong la pindoh ke portal baru")
      const length = opening ? clause.split(/\s+/).filter((w) => !lexicon.particles.has(w.toLowerCase())).length : words;
      if (length > (opening ? OPENING_CLAUSE_WORDS : 8) && ![...this.procedureIds].some((id) => givesValuesFor(this.dialogs.find(id), clause, context))) continue;
      // one word ("Hi, complaint about bills & charges: …") is a request only when it is certain
      const top = words < 2 ? recognise(clause, true, CLAUSE_CERTAIN) : recognise(clause, true);
      const entry = top?.entry;
      const procedure = entry?.procedure;
      if (!top || !entry || !procedure || !this.procedureIds.has(procedure.dialog)) continue;
      // (a clause that asks nothing in words, and gives a procedure none of its values, is no request for it when the whole
      // message is answered by another entry: "… Emailed twice, no reply. I want a proper complaint opened and someone to
      // call me back." asks for a ticket, not where one stands; "… Can I do it on his behalf, or must he be there in
      // person?" asks whether a representative may upgrade the account, no person to talk to)
      // (the message's opening statement is its request, as above: "Hi, complaint about bills & charges. I was charged …")
      if (!worded[i] && !opening) {
        whole ??= this.deps.recognizer.match(wholeText(), textLang(context));
        const asked = whole.decision === 'answer' ? whole.candidates[0]?.entry : undefined;
        const dialog = this.dialogs.find(procedure.dialog);
        // (a value of the message elsewhere is the procedure's when it is an identifier it takes: "Dulu saya guna emel … dalam
        // eBiz lama, sekarang tak dapat log masuk" asks for the migration with that address)
        identifies ??= wholeText().identifiers.some((x) => GIVEN_FOR_A_PROCEDURE.has(x.kind));
        if (asked && asked.id !== entry.id && !givesValuesFor(dialog, clause, context) && !(identifies && givesAnyValueFor(dialog, text, context))) continue;
      }
      // a number or an address the procedure does not take is another procedure's value, labelled ("number A12345678"
      // after "I registered with my passport" is a passport, no line to check)
      if (/\d|@/.test(clause) && !givesAnyValueFor(this.dialogs.find(procedure.dialog), clause, context)) continue;
      // (nor is the value of a message that asks for a quantity the procedure does not give)
      whole ??= this.deps.recognizer.match(wholeText(), textLang(context));
      if (!this.givesAsked(entry, whole)) continue;
      // a ticket named by its reference ("… ticket TKT-20250408-0456, and haven't heard a thing since") is one raised
      // already: no request for a new one
      // (so is one told as made: "kamek udah buat tiket pasal akaun eBiz", "Logged a complaint about my eBiz account")
      // (or named elsewhere in the message, beside a clause that asks for nothing in words: "kes sy pasal email ebiz lama
      // tu, no rujukan TKT-…, masih tggu berita" asks where that ticket stands)
      if (
        procedure.dialog === 'ticket' &&
        (namesReference(said()) || tellsRequestMade(said()) || (!worded[i] && namesReference(wholeText())))
      ) continue;
      // a clause said under a condition asks what would happen ("Balance prepaid saya RM150, kalau tukar postpaid semua
      // boleh bawa ke?"), and one about another pack's matter than the whole message's answer ("nk mohon remit, layak x
      // sy": the remit's eligibility, no line's) is a word of that matter: neither asks for its procedure unless it gives
      // the procedure its values
      // (nor does one the customer does on their own: "sy nk kira sendiri je. bagi formula pro-rata …"; nor a question
      // naming no action, which the whole message answers surely with another entry: "sy ada kontrak 24 bulan, nk tukar
      // plan kena caj x??" is the penalty's, though its last clause reads as a bill to compute)
      if (!givesValuesFor(this.dialogs.find(procedure.dialog), clause, context)) {
        if (underCondition(text, clauses, i, lexicon) || doesItOnOwn(analyseText(clause, lexicon))) continue;
        whole ??= this.deps.recognizer.match(wholeText(), textLang(context));
        const answered = whole.decision === 'answer' ? whole.candidates[0] : undefined;
        if (answered && answered.entry.pack !== entry.pack && answered.entry.pack !== CORE_PACK && entry.pack !== CORE_PACK) continue;
        const asked = markedAsked(text, clause);
        const acts = analyseText(clause, lexicon).expanded.some((w) => lexicon.requestActions.has(w));
        // (a complaint or a person asked for as a question is still asked for: "Sy nak rayu …, boleh buat aduan?")
        if (answered && asked && !acts && entry.pack !== CORE_PACK && answered.entry.id !== entry.id && answered.score >= CLAUSE_CERTAIN) continue;
      }
      // a request to run a procedure; or an entry answered and then run ("migrate akaun ebiz lama, emel sy …")
      // when the message also gives that procedure's values, or when it is the certain opening statement
      // (an FAQ that offers its procedure, in a clause that gives that procedure its values: "can my prepaid line
      // 013-100 0002 switch to postpaid?", as requestedProcedure reads a whole message)
      const request =
        (entry.kind === 'procedure' && procedure.mode === 'instead') ||
        (procedure.mode === 'offer' && asksInWords(analyseText(clause, lexicon)) && givesValuesFor(this.dialogs.find(procedure.dialog), clause, context)) ||
        (procedure.mode === 'after' &&
          ((opening && words >= MIN_OPENING_WORDS && top.score >= CLAUSE_CERTAIN) || givesAnyValueFor(this.dialogs.find(procedure.dialog), text, context)));
      if (!request) continue;
      // (the clause's own question mark is its own: "can my line even switch? 012-100 0001, postpaid to postpaid")
      const after = text.slice(text.indexOf(clause) + clause.length).replace(/^\s*[?？]+/, '');
      const laterQuestion = after.includes('?') || clauses.slice(i + 1).some((c) => looksLikeQuestion(analyseText(c, lexicon)));
      // a question after the request is the message's to ask, unless the request gives its procedure what it needs
      // ("can my prepaid line 013-100 0002 switch to postpaid? I only have RM10 left, is that a problem?": the
      // check answers it)
      // (or the message gives it elsewhere and the later questions ask nothing the knowledge answers: "nak migrate akaun
      // ebiz lama. emel sy …. hantar kod skrg blh?" asks for the code the migration sends)
      if (laterQuestion && !givesValuesFor(this.dialogs.find(procedure.dialog), clause, context)) {
        const asksOwn = () =>
          clauses.slice(i + 1).some((c) => {
            const said = analyseText(c, lexicon);
            if (!looksLikeQuestion(said) && !markedAsked(text, c)) return false;
            const r = this.deps.recognizer.match(said, textLang(context));
            return r.decision !== 'fallback' && r.candidates[0]?.entry.id !== entry.id;
          });
        // (and none before it: "… Apa syarat nak tukar dari postpaid ke prepaid? Sy ada tertunggak sikit …" asks that)
        // (nor one that is itself a question, "Apa syarat nak tukar dari postpaid ke prepaid?", its own mark stripped above)
        // (nor a word or two: "Salam, sy Pn. Lina, …" names no line)
        const dialog = this.dialogs.find(procedure.dialog);
        if (words < MIN_OPENING_WORDS || markedAsked(text, clause) || looksLikeQuestion(said()) || text.slice(0, text.indexOf(clause)).includes('?')) return undefined;
        if (!givesAnyValueFor(dialog, text, context) || asksOwn()) return undefined;
      }
      // two clauses read as requests for different procedures: the one the whole message asks to run is asked, the
      // other's words tell what it is for ("Nak buat laporan bulanan utk bos, senaraikan semua tiket sy." lists the
      // tickets; its "laporan" is the customer's own report, no complaint)
      // (a procedure's entry, not an answer that offers one: "Tolong aktifkan semula ID lama eBiz saya, emel yang saya
      // guna dulu …" asks for the migration, though the whole message reads as the dead e-mail's question; nor one the
      // message gives an identifier of: "nk buat aduan. line sy 012-…, … tolong semak. contact sy kat no ni je 012-…"
      // asks for the complaint, with its contact, though the whole message reads as the line's check)
      // (the whole message's recognition is at hand, from givesAsked above: the values are read only when it is another
      // procedure's)
      const answered = whole.decision === 'answer' ? whole.candidates[0]?.entry : undefined;
      if (answered?.kind === 'procedure' && answered.procedure && answered.id !== entry.id && this.procedureIds.has(answered.procedure.dialog)) {
        identifies ??= wholeText().identifiers.some((x) => GIVEN_FOR_A_PROCEDURE.has(x.kind));
        const own = this.dialogs.find(procedure.dialog);
        const givesOwn = givesValuesFor(own, clause, context) || (identifies && givesAnyValueFor(own, text, context));
        if (!givesOwn && clauses.some((c, j) => j !== i && recognise(c, true)?.entry.id === answered.id)) continue;
      }
      return { dialog: procedure.dialog, entryId: entry.id, entry };
    }
    return undefined;
  }

  /**
   * The answers of a message that asks two or three questions apart ("1) tambah nilai … kat kaunter ke? 2) data terhad
   * boleh beli online x?"): each question recognised on its own and answered outright by a different FAQ (one that
   * runs no procedure in its place); undefined when fewer than two are, when there are more questions than
   * MAX_QUESTIONS, or when the whole message is answered by an entry none of them is (then the message is one question).
   */
  private questionsAnswered(input: AnalysedText, whole: Recognition, context: TurnContext): KnowledgeEntry[] | undefined {
    // (a message that gives a number, a MyKad, an address or a reference is a procedure's to read)
    if (input.identifiers.length > 0) return undefined;
    const lexicon = this.deps.recognizer.lexicon;
    // the parts that ask ("nak tanya 2 benda:", a story told before a question, asks nothing of its own)
    const questions = questionsOf(input.text).filter((q) => /[?？]\s*$/.test(q) || looksLikeQuestion(analyseText(q, lexicon)));
    if (questions.length < 2 || questions.length > MAX_QUESTIONS) return undefined;
    const entries: KnowledgeEntry[] = [];
    for (const question of questions) {
      const r = this.deps.recognizer.match(question, textLang(context));
      const entry = r.decision === 'answer' ? r.candidates[0]?.entry : undefined;
      const plain = entry && entry.kind === 'faq' && entry.answer && entry.status !== 'incomplete' && (!entry.procedure || entry.procedure.mode === 'offer');
      if (plain && !entries.includes(entry)) entries.push(entry);
    }
    if (entries.length < 2) return undefined;
    const top = whole.decision === 'answer' ? whole.candidates[0]?.entry : undefined;
    return !top || entries.includes(top) ? entries : undefined;
  }

  /**
   * The answer just given, asked for again as a request in words ("Pls waive the RM300 penalty, the store guy said
   * there's no contract. Contact me at …" right after the penalty's answer, which offers a ticket): the procedure it
   * offers, with the message as its context, before any clause of the message is read as a request of its own. So is
   * the same answer asked for again with a value of that procedure ("sy dah guna Digi 10 tahun, kontrak tinggal 2 bulan
   * je. emel sy …": the answer again would help nobody).
   */
  private offerTakenUp(input: AnalysedText, context: TurnContext, recogniseWhole: () => Recognition): { procedure: ProcedureId; entryId: string } | undefined {
    const before = answeredBefore(context);
    const entry = before ? this.deps.knowledge.byId.get(before.entryId) : undefined;
    const offered = entry?.procedure;
    if (!entry || offered?.mode !== 'offer' || !this.procedureIds.has(offered.dialog) || looksLikeQuestion(input)) return undefined;
    if (this.reachesAfterTicketOffer(input, context)) return { procedure: 'ticket', entryId: entry.id };
    // (a request taken back asks nothing: "no need for a ticket, I'll just wait until my contract ends")
    const asked = asksInWords(withoutRequestsTakenBack(input));
    const gives = !asked && input.identifiers.length > 0 && !takesRequestBack(input) && givesAnyValueFor(this.dialogs.find(offered.dialog), input.text, context);
    if (!asked && !gives) return undefined;
    const recognition = recogniseWhole();
    return recognition.decision === 'answer' && recognition.candidates[0]?.entry.id === entry.id ? { procedure: offered.dialog as ProcedureId, entryId: entry.id } : undefined;
  }

  /**
   * Whether the message gives a way to reach the customer right after an answer that offers a ticket ("my email is …,
   * or call this same number 012-…" after the contract penalty's answer): the offer taken up, not a line to check again.
   */
  private reachesAfterTicketOffer(input: AnalysedText, context: TurnContext): boolean {
    const before = answeredBefore(context);
    const offered = before ? this.deps.knowledge.byId.get(before.entryId)?.procedure : undefined;
    return offered?.mode === 'offer' && offered.dialog === 'ticket' && this.procedureIds.has('ticket') && !looksLikeQuestion(input) && !takesRequestBack(input) && givesContact(input.text, !!verifiedPhone(context));
  }

  /** The procedure the message asks for: the whole message recognised as an entry that runs one, or one of its clauses. */
  private askedProcedure(input: AnalysedText, context: TurnContext): ProcedureId | undefined {
    const recognition = this.deps.recognizer.match(input, textLang(context));
    const whole = recognition.decision === 'answer' ? this.requestedProcedure(recognition.candidates[0]?.entry, input.text, context) : undefined;
    return whole ?? (this.requestInClauses(input.text, context)?.dialog as ProcedureId | undefined);
  }

  /**
   * Whether the message asks for a procedure other than `id`: in a clause of its own ("… x sampai RM100 pun. sy nk buat
   * aduan bil"), or as a whole that gives that procedure its values.
   */
  private asksForAnother(text: string, context: TurnContext, id: string): boolean {
    const clause = this.requestInClauses(text, context);
    if (clause) return clause.dialog !== id;
    // ("now can you check if my line 012 100 0001 can actually switch to the other postpaid plan?" right after a bill)
    const input = turnInput(context, text);
    const recognition = this.deps.recognizer.match(typeof input === 'string' ? analyseText(input, this.deps.recognizer.lexicon) : input, textLang(context));
    const wanted = recognition.decision === 'answer' ? this.requestedProcedure(recognition.candidates[0]?.entry, text, context) : undefined;
    return !!wanted && wanted !== id && givesValuesFor(this.dialogs.find(wanted), text, context);
  }

  private async answerQuestion(dc: DialogContext, input: AnalysedText): Promise<void> {
    const context = dc.context;
    const text = input.text;
    const start = this.startOf(context, text);
    if (start) {
      noteOutcome(context, 'procedure_started', { procedure: start });
      const options: ProcedureOptions = {};
      await dc.beginDialog(start, options);
      return;
    }
    const direct = this.byQuestion.get(normaliseQuestion(text));
    if (direct) {
      await this.respondWithEntry(dc, direct, text);
      return;
    }
    // (the whole message, without what it takes back, recognised once for this turn)
    let whole: Recognition | undefined;
    const recogniseWhole = () => (whole ??= this.deps.recognizer.match(withoutRequestsTakenBack(input), textLang(context)));
    const again = this.offerTakenUp(input, context, recogniseWhole);
    if (again) {
      noteOutcome(context, 'procedure_started', { procedure: again.procedure, entryId: again.entryId });
      await dc.beginDialog(again.procedure, { text, entryId: again.entryId } satisfies ProcedureOptions);
      return;
    }
    // a way to reach the customer given right after a message the bot could not answer ("my email is …, or just
    // whatsapp me here"), whose reply offered a ticket: the offer taken up, the ticket about that message
    if (declinedBefore(context) && givesContact(text, !!verifiedPhone(context)) && !looksLikeQuestion(input) && this.procedureIds.has('ticket') && !this.askedProcedure(input, context)) {
      noteOutcome(context, 'procedure_started', { procedure: 'ticket' });
      await dc.beginDialog('ticket', { text } satisfies ProcedureOptions);
      return;
    }
    const requested = this.requestInClauses(text, context);
    if (requested && requested.entry.procedure?.mode === 'after' && requested.entry.answer) {
      // its answer, then the procedure with the message's values
      await this.respondWithEntry(dc, requested.entry, text);
      return;
    }
    if (requested) {
      // "nak buat aduan: sy beli peta … emel sy …", "kira prorata: 58 ke 80, tukar 11hb …": a request, then its
      // details — the request decides what starts, the details are the procedure's to read
      noteOutcome(context, 'procedure_started', { procedure: requested.dialog, entryId: requested.entryId });
      const options: ProcedureOptions = { text, entryId: requested.entryId };
      await dc.beginDialog(requested.dialog, options);
      return;
    }
    const recognition = recogniseWhole();
    const top = recognition.candidates[0];
    if ((recognition.decision !== 'answer' || holdsOnToDo(input)) && holdsOn(input) && !looksLikeQuestion(input) && !/\d/.test(text)) {
      // "hmm kejap sy tgk bil lama", "kejap, biar sy tengok bil lama": asked to wait, not asked anything (its words
      // name no procedure to start; what the customer says they do meanwhile is no question, though its words name an
      // entry's: "kejap sy tgk bil lama" is no question of the pro-rata formula)
      await this.send(context, { text: this.t(context, 'hold-on.reply') });
      return;
    }
    const several = this.questionsAnswered(input, recognition, context);
    if (several) {
      // each answer under its question's label: "Boleh, …" twice would not say which is which
      for (const entry of several) await this.respondWithEntry(dc, entry, text, { titled: true });
      return;
    }
    if (recognition.decision === 'clarify') {
      // "boleh tak no 0131000003 tukar ke Digi Postpaid 58?": among the candidates, a procedure the message fills
      // (or, on WhatsApp, "hey can i change my plan": the check of the chat's own line, which needs nothing more)
      const procedure =
        this.filledAmong(recognition, dc, text) ??
        recognition.candidates
          .slice(0, 3)
          .map((c) => c.entry)
          .find((e) => e.kind === 'procedure' && !!e.procedure && this.procedureIds.has(e.procedure.dialog) && asksOwnLineFor(dc.findDialog(e.procedure.dialog), text, context));
      if (procedure) {
        const options: ProcedureOptions = { text, entryId: procedure.id };
        noteOutcome(context, 'procedure_started', { procedure: procedure.procedure!.dialog, entryId: procedure.id });
        await dc.beginDialog(procedure.procedure!.dialog, options);
        return;
      }
      // "ok boleh buat tiket terus ke?" right after an answer that offers a ticket: among the close candidates, the
      // request for the procedure offered is the one meant (with the answer's entry as its context)
      const offered = this.offeredByAnswerBefore(context);
      const requested = offered && recognition.candidates.slice(0, 3).some((c) => c.entry.kind === 'procedure' && c.entry.procedure?.dialog === offered.procedure);
      if (offered && requested) {
        noteOutcome(context, 'procedure_started', { procedure: offered.procedure, ...(offered.entryId ? { entryId: offered.entryId } : {}) });
        const options: ProcedureOptions = { text, ...(offered.entryId ? { entryId: offered.entryId } : {}) };
        await dc.beginDialog(offered.procedure, options);
        return;
      }
    }
    // (or a short one that says what its long number is: "no kp sy 780625085433" gives the migration its value; a bare
    // number after the customer said goodbye starts nothing)
    const saysNumber = /\d{6,}/.test(text.replace(/[\s-]/g, '')) && /\p{L}{2,}/u.test(text);
    // (not a message declined for what it names out of scope, unless it gives who or which line: "Can my billing cycle be
    // moved so it starts on the 1st instead of the 15th?" gives two days, yet asks for no pro-rata bill; "nak tukar ke plan
    // prepaid yg lain, yg ada unlimited data tu. line prepaid sy 013 100 0002" asks for that line's check)
    const declinedOutOfScope = !!recognition.outOfScope && !input.identifiers.some((x) => GIVEN_FOR_A_PROCEDURE.has(x.kind));
    if (recognition.decision === 'fallback' && !declinedOutOfScope && (text.split(/\s+/).length >= MIN_SENTENCE_WORDS || saysNumber)) {
      // "ok mula semula, cuba check nombor bini sy pulak 013-100 0003, dia nk tukar ke postpaid": a sentence read as
      // nothing, but it gives one procedure's values (a line and a switch): that procedure (a bare value, "Demo
      // Prepaid 35", is not a request)
      // (not one that gives none of the quantities the message asks for: "tolong semak kuota data sy tinggal berapa GB, no
      // 013-…" gives a line, yet asks for no plan-switch check of it)
      const found = this.procedureGivenValues(dc, text) ?? (this.filledAmong(recognition, dc, text)?.procedure?.dialog as ProcedureId | undefined);
      const given = found && this.givesAsked(found, recognition) ? found : undefined;
      if (given) {
        noteOutcome(context, 'procedure_started', { procedure: given });
        const options: ProcedureOptions = { text };
        await dc.beginDialog(given, options);
        return;
      }
    }
    const offeredBefore = recognition.decision === 'answer' ? undefined : this.offeredByAnswerBefore(context);
    // (not by a message that takes a request back: "no need for a ticket, I'll just wait until my contract ends")
    if (offeredBefore && !looksLikeQuestion(input) && !takesRequestBack(input) && givesAnyValueFor(dc.findDialog(offeredBefore.procedure), text, context)) {
      // "0121000002" right after the answer that offers to check a line (the conditions of a switch): the value
      // takes up the offer, with the question answered as the procedure's context
      noteOutcome(context, 'procedure_started', { procedure: offeredBefore.procedure, entryId: offeredBefore.entryId });
      const options: ProcedureOptions = { text, ...(offeredBefore.entryId ? { entryId: offeredBefore.entryId } : {}) };
      await dc.beginDialog(offeredBefore.procedure, options);
      return;
    }
    if (recognition.decision !== 'answer' && input.tokens.length <= MAX_CODE_MESSAGE_WORDS && findCode(text)) {
      // "ok. code is 415764" when no procedure waits for one (the line was already proved, or the check closed):
      // said, not "please rephrase"
      await this.send(context, { text: this.t(context, 'code.not-expected') });
      return;
    }
    // (also when the clauses besides the thanks only tell about the customer: "ok tq. sy bayar bil bulanan mcm biasa je")
    if (closingThanks(input) && (recognition.decision !== 'answer' || this.tellsOnlyAll(clausesOf(text).filter((c) => detectCommand(c, input.lex) !== 'thanks'), context))) {
      // "Got it, thanks!", "ok tq, nnt sy banding dgn bil": thanks, not a question to rephrase
      await this.send(context, { text: this.t(context, 'thanks.reply') });
      return;
    }
    if (recognition.decision !== 'answer') {
      await this.deps.unanswered
        ?.record({ text, lang: textLang(context), recognition, channel: context.activity.channelId })
        .catch((err: unknown) => this.deps.log.warn({ err }, 'could not record an unanswered question'));
    }
    const offered = recognition.decision === 'answer' ? top?.entry.procedure : undefined;
    // (a question of how it is done, whatever values it gives: "Switched … on the 18th … How do they actually work out that
    // first month's fee?" is answered with the method, and the calculation offered, not started)
    const asksMethod = asksForMethod(recognition.features, input.tokens, input.lex, HOW_OR_WHY);
    // "My prepaid is 013-100 0002, I only have RM10. Can I switch to postpaid or must I top up first?": the question
    // answered, and the procedure of the same service the message gives its values started with them
    // (or asks for an action on the value it gives: "number 013-100 0005. Can you verify I haven't reached the switch
    // limit for this month?" is answered, and that line checked)
    const given =
      // (an FAQ that offers another procedure too: "nk tukar postpaid sy ke prepaid, no 012-100 0005. tp sy ada kontrak
      // fon lg ni" is answered by the penalty, which offers a ticket, and the line is checked)
      // (in a sentence: a plan's name alone, "Digi Postpaid 80", gives a bill no values it asks for)
      recognition.decision === 'answer' && top && top.entry.kind === 'faq' && top.entry.answer &&
      (!top.entry.procedure || (top.entry.procedure.mode === 'offer' && input.tokens.length >= MIN_SENTENCE_WORDS))
        ? this.givenInPack(dc, top.entry, text) ?? this.actedOnInPack(recognition, dc, top.entry, text)
        : undefined;
    const alsoGiven = given !== undefined && asksMethod && given === top?.entry.procedure?.dialog ? undefined : given;
    // the check asked for on a line, about a rule: the rule's answer first, then the check (recognition.subject)
    const subject = recognition.decision === 'answer' && top?.entry.kind === 'procedure' ? recognition.subject?.entry : undefined;
    if (subject?.kind === 'faq' && subject.answer && subject.status === 'complete' && subject.pack === top!.entry.pack && !subject.procedure) {
      await this.answerAlone(context, subject);
    }
    if (
      offered?.mode === 'offer' &&
      this.procedureIds.has(offered.dialog) &&
      givesValuesFor(dc.findDialog(offered.dialog), text, context) &&
      !asksMethod
    ) {
      // "boleh tak line 0121000001 tukar ke postpaid 80?": a question that gives the procedure's values asks for it
      const options: ProcedureOptions = { text, entryId: top!.entry.id };
      noteOutcome(context, 'procedure_started', { procedure: offered.dialog, entryId: top!.entry.id });
      await dc.beginDialog(offered.dialog, options);
    } else if (alsoGiven && top?.entry.answer) {
      await this.answerAlone(context, top.entry);
      noteOutcome(context, 'procedure_started', { procedure: alsoGiven });
      await dc.beginDialog(alsoGiven, { text } satisfies ProcedureOptions);
    } else if (recognition.decision === 'answer' && top) {
      await this.respondWithEntry(dc, top.entry, text);
    } else if (recognition.decision === 'clarify' && recognition.candidates.length > 0) {
      await this.clarify(context, recognition);
    } else if (holdsOn(input) && !looksLikeQuestion(input)) {
      // "kejap, sy cari no 013…": asked to wait, not asked anything
      await this.send(context, { text: this.t(context, 'hold-on.reply') });
    } else {
      noteOutcome(context, 'declined', { entryId: top?.entry.id });
      // (a ticket asked for next is about this message: kept masked, and only one a description can be)
      if (text.length <= DESCRIPTION_MAX) (await this.session.get(context, {})).declined = redactPersonalData(text);
      // the nearest topic known, as a button, when one is near enough and the message names nothing out of scope: "the
      // sheet I need is flagged restricted, guess that means a trip to KL?" is declined, with "Restricted data" to tap
      const near = !recognition.outOfScope && top && top.score >= DECLINE_SUGGESTION_MIN ? top.entry : undefined;
      await this.send(context, {
        text: this.t(context, near ? 'fallback.suggest' : 'fallback.text'),
        choices: [...(near ? [entryChoice(near, turnLang(context))] : []), this.ticketChoice(context), this.menuChoice(context)],
      });
    }
  }

  /**
   * The procedure the previous turn offered: the one the FAQ answered offers or runs (its button), or the one
   * procedure among the "did you mean …?" choices (then the entry asking for the procedure itself, not a
   * question about it, is its context) — if this deployment has it.
   */
  private offeredByAnswerBefore(context: TurnContext): { procedure: ProcedureId; entryId?: string } | undefined {
    const runnable = (entry: KnowledgeEntry | undefined) => (entry?.procedure && this.procedureIds.has(entry.procedure.dialog) ? entry.procedure.dialog : undefined);
    const before = answeredBefore(context);
    const answered = before ? this.deps.knowledge.byId.get(before.entryId) : undefined;
    const procedure = runnable(answered);
    if (answered && procedure) return { procedure, entryId: answered.id };
    const choices = (clarifiedBefore(context) ?? []).map((id) => this.deps.knowledge.byId.get(id)).filter((e) => !!runnable(e));
    const procedures = new Set(choices.map((e) => runnable(e)!));
    if (procedures.size !== 1) return undefined;
    const request = choices.find((e) => e!.kind === 'procedure');
    return { procedure: [...procedures][0]!, ...(request ? { entryId: request.id } : {}) };
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

  /** "Did you mean …?": the close candidates (at most three) and a ticket, noted and kept for the next turn. */
  private async clarify(context: TurnContext, recognition: Recognition): Promise<void> {
    const lang = turnLang(context);
    const candidates = recognition.candidates.slice(0, 3);
    noteOutcome(context, 'clarified', { entryId: candidates[0]?.entry.id });
    (await this.session.get(context, {})).clarified = candidates.map((c) => c.entry.id);
    await this.send(context, { text: this.t(context, 'clarify.text'), choices: [...candidates.map((c) => entryChoice(c.entry, lang)), this.ticketChoice(context)] });
  }

  /** An FAQ's answer alone, noted and recorded (beside a procedure's step; no buttons, no follow-ups). */
  private async answerAlone(context: TurnContext, entry: KnowledgeEntry): Promise<void> {
    noteOutcome(context, 'answered', { entryId: entry.id });
    recordOutcome(context, { procedure: 'faq', entryId: entry.id });
    await this.send(context, { text: entry.answer![turnLang(context)] });
  }

  /**
   * The FAQ answered this turn, kept as the context of the next turn (src/bot/context.ts answeredBefore), its personal
   * data masked and its amounts as written (it may become a ticket's description: "RM300 penalti?? …").
   */
  private async rememberAnswered(context: TurnContext, entry: KnowledgeEntry, text: string): Promise<void> {
    const masked = redactPersonalData(text.slice(0, MAX_CONTEXT_CHARS));
    (await this.session.get(context, {})).answered = { entryId: entry.id, text: masked };
  }

  private async respondWithEntry(dc: DialogContext, entry: KnowledgeEntry, text: string, options: { titled?: boolean } = {}): Promise<void> {
    const context = dc.context;
    const lang = turnLang(context);
    if (entry.kind === 'faq' && entry.answer) {
      recordOutcome(context, { procedure: 'faq', entryId: entry.id });
      await this.rememberAnswered(context, entry, text);
    }
    if (entry.status === 'incomplete' || (!entry.answer && entry.kind === 'faq')) {
      // a request to do what such an entry offers a ticket for ("ok nak mohon remit utk syarikat sy la"): the ticket,
      // since the bot has nothing more to say of it
      const said = turnInput(context, text);
      const asked = typeof said === 'string' ? analyseText(said, this.deps.recognizer.lexicon) : said;
      if (entry.procedure?.dialog === 'ticket' && this.procedureIds.has('ticket') && asksInWords(asked) && !looksLikeQuestion(asked)) {
        noteOutcome(context, 'procedure_started', { procedure: 'ticket', entryId: entry.id });
        await dc.beginDialog('ticket', { text, entryId: entry.id } satisfies ProcedureOptions);
        return;
      }
      noteOutcome(context, 'declined', { entryId: entry.id });
      // (the entry was recognised and responded to, with what the bot has of it: the question, and a ticket offered)
      if (!(entry.kind === 'faq' && entry.answer)) recordOutcome(context, { procedure: 'faq', entryId: entry.id });
      // (the ticket it offers is about this message, as after any question the bot could not answer)
      if (text.length <= DESCRIPTION_MAX) (await this.session.get(context, {})).declined = redactPersonalData(text);
      await this.send(context, { text: this.t(context, 'incomplete.text', { question: entry.question[lang] }), choices: [this.ticketChoice(context)] });
      return;
    }
    const procedure = entry.procedure;
    const runnable = procedure && this.procedureIds.has(procedure.dialog);
    const followups = entry.followups
      .map((id) => this.deps.knowledge.byId.get(id))
      .filter((e): e is KnowledgeEntry => !!e)
      .map((e) => entryChoice(e, lang));

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
      noteOutcome(context, 'answered', { entryId: entry.id });
      await this.send(context, { text: options.titled ? `${entry.label[lang]}:\n${entry.answer[lang]}` : entry.answer[lang], choices: choices.slice(0, 5) });
      if (entry.kind === 'faq' && !procedure) await this.deps.afterAnswer?.(context, entry);
    }
    if (procedure && (procedure.mode === 'instead' || procedure.mode === 'after')) {
      if (runnable) {
        await dc.cancelAllDialogs();
        const options: ProcedureOptions = { text, entryId: entry.id };
        noteOutcome(context, 'procedure_started', { procedure: procedure.dialog, entryId: entry.id });
        await dc.beginDialog(procedure.dialog, options);
      } else if (!entry.answer) {
        await this.send(context, { text: this.t(context, 'procedure.unavailable'), choices: [this.menuChoice(context)] });
      }
    }
  }
}

/**
 * The button for an entry: its short label (from the pack file, meaningful alone), the full question as what it
 * sends (it reaches the entry through the recognizer like a typed question) and as the description.
 */
function entryChoice(entry: KnowledgeEntry, lang: Lang): Choice {
  return { title: entry.label[lang], value: entry.question[lang], description: entry.question[lang] };
}

/**
 * The ids of the dialogs running, the active one and those running inside it (a pro-rata bill started from the
 * eligibility check's result). botbuilder's ComponentDialog keeps its inner stack in its state under 'dialogs'
 * (PERSISTED_DIALOG_STATE of lib/componentDialog.js, not exported); bounded by the stacks' depth.
 */
function runningIds(dc: DialogContext): Set<string> {
  type Instance = { id: string; state?: { dialogs?: { dialogStack?: unknown } } };
  const ids = new Set<string>();
  let stack: Instance[] | undefined = dc.stack;
  for (let depth = 0; stack && stack.length > 0 && depth < 10; depth++) {
    const top: Instance = stack[0]!;
    ids.add(top.id);
    const inner: unknown = top.state?.dialogs?.dialogStack;
    stack = Array.isArray(inner) ? (inner as Instance[]) : undefined;
  }
  return ids;
}

/** Lower-case, single spaces, no trailing punctuation: how a clicked suggestion is matched to its entry (normaliseText). */
export function normaliseQuestion(text: string): string {
  return normaliseText(text, { trimQuestionEnd: true });
}

/** Whether what follows a label is one value alone, past the closing of a letter ("rosnah@…. Mohon bantuan."). */
function labelsOneValue(rest: string, lex: Lexicon): boolean {
  const parts = rest.split(/(?<=[.!])\s+/);
  while (parts.length > 1 && signsOff(parts[parts.length - 1]!, lex)) parts.pop();
  return /^\s*\S+\s*$/.test(parts.join(' ').replace(/[.!]+\s*$/, ''));
}

/**
 * "I'll …", "I am going to …": the tokenizer keeps only "i" of "I'll", so the clause's own words are read. Not "I'll be …",
 * which tells what the customer will be or be doing ("I'll be the one at the counter for our account upgrade"), no plan
 * of their own instead of a request.
 */
const OWN_PLAN = /^(?:\W*(?:ok|okay|hmm+|oh|alright|well|then)\b)*\W*(?:i'll|i’ll|i will|i'm going to|i am going to|i shall)\b(?!\s+be\b)/i;

/**
 * Whether a clause asks for nothing: it takes a request back ("no need for a complaint", "x payah buat aduan") or
 * says what the customer will do ("ok I'll check my email again", "nanti sy bayar dulu"): lexicon requestNegations.
 */
function takesRequestBack(clause: AnalysedText): boolean {
  if (OWN_PLAN.test(clause.text.slice(0, 80))) return true;
  const negations = clause.lex.requestNegations;
  const polite = clause.lex.commands.politeness;
  for (const all of [clause.tokens, clause.expanded]) {
    // after politeness and fillers ("ok I'll check my email again", "hmm ok nanti sy bayar dulu")
    let from = 0;
    while (from < all.length && polite.has(all[from]!)) from++;
    const takenBackAt = (at: number) => {
      const words = all.slice(at, at + 4);
      for (let n = 1; n <= words.length; n++) if (negations.has(words.slice(0, n).join(' '))) return true;
      return false;
    };
    if (takenBackAt(from)) return true;
    // (or after a request to wait: "hold on let me check my old bill")
    for (let n = 3; n >= 1; n--) {
      if (from + n < all.length && clause.lex.holdOn.has(all.slice(from, from + n).join(' '))) {
        if (takenBackAt(from + n)) return true;
        break;
      }
    }
    // (or after what it takes back, in a clause that asks nothing: "migrate akaun tu tak payah la dulu"; lexicon
    // requestNegationsAfter)
    if (clause.text.includes('?')) continue;
    const after = clause.lex.requestNegationsAfter;
    // (not in a clause of its own that gives a reason or a purpose: "nak tukar ke postpaid supaya x payah reload selalu"
    // asks for the switch; lexicon clauseOpeners, reasonOpeners)
    const opens = (i: number) => clause.lex.clauseOpeners.has(all[i]!) || clause.lex.reasonOpeners.some((p) => p.every((w, k) => all[i + k] === w));
    for (let i = from + 1; i < Math.min(all.length, from + TAKEN_BACK_AFTER); i++) {
      if (opens(i)) break;
      for (let n = 1; n <= 3 && i + n <= all.length; n++) if (after.has(all.slice(i, i + n).join(' '))) return true;
    }
  }
  return false;
}

/** The words a request's topic may take before the words that take it back ("migrate akaun tu tak payah"). */
const TAKEN_BACK_AFTER = 6;

/**
 * The message without the clauses that take a request back, for recognising what it asks: "oh wait, can you just
 * help me migrate it instead? no need for a complaint. my IC is …" asks for the migration, not a ticket. The
 * message itself when it has none (or is longer than the clauses read: CLAUSE_TEXT_CHARS).
 */
function withoutRequestsTakenBack(input: AnalysedText): AnalysedText {
  if (input.text.length > CLAUSE_TEXT_CHARS || input.lex.requestNegations.size === 0) return input;
  const parts = input.text.split(/([,.;!?\n]+)/);
  let dropped = false;
  const kept: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const clause = parts[i]!;
    if (clause.trim() !== '' && takesRequestBack(analyseText(clause, input.lex))) {
      dropped = true;
      continue;
    }
    kept.push(clause + (parts[i + 1] ?? ''));
  }
  const rest = kept.join('').trim();
  return dropped && rest !== '' ? analyseText(rest, input.lex) : input;
}

/**
 * Whether a message ends asking the bot to wait: its last clause opens with a request to wait ("billing cycle first
 * day... hold on let me check my old bill"), or says what the customer will do after one ("kejap, biar sy tengok bil
 * lama"). An opening "wait, that mailbox was closed years ago" is no such request.
 */
function endsHoldingOn(text: string, lex: Lexicon): boolean {
  // (only the last two clauses are analysed)
  const clauses = clausesOf(text).slice(-2).map((c) => analyseText(c, lex));
  const last = clauses[clauses.length - 1];
  const before = clauses.length === 2 ? clauses[0] : undefined;
  return !!last && (holdsOn(last) || (!!before && holdsOn(before) && takesRequestBack(last)));
}

/** Whether the message asks in words: one of the lexicon's requestWords ("nak", "tolong", "can", "check"). */
function asksInWords(input: AnalysedText): boolean {
  return input.expanded.some((w) => input.lex.requestWords.has(w));
}

/**
 * A clause that tells about the customer: it opens (after politeness and openers such as "eh", "ok") with a speaker's
 * word (lexicon speakers: "I", "my", "sy"), has no request word, is no question and reports no problem (a negation or
 * the problem concept: "I can't log in to eBiz with my old user ID" asks for help).
 */
function tellsOnly(input: AnalysedText, features: readonly string[]): boolean {
  const skip = input.lex.commands.politeness;
  const first = input.tokens.find((w) => !skip.has(w) && !input.lex.switchOpeners.has(w));
  // (a speaker in a regional form is one: "kamek", "sia", "ambo" are "saya")
  if (first === undefined || !(input.lex.speakers.has(first) || expandShortForms([first], input.lex).some((w) => input.lex.speakers.has(w)))) return false;
  if (features.includes('#problem') || input.expanded.some((w) => input.lex.languageSwitch.negations.has(w))) return false;
  return !asksInWords(input) && !looksLikeQuestion(input);
}

/**
 * Whether a clause tells a request as already made (lexicon requestMade): a word of done right before an action ("sy dah
 * buat aduan", "I've raised"), or an action's past form ("Logged a complaint", "aduan yang dihantar").
 */
function tellsRequestMade(input: AnalysedText): boolean {
  const made = input.lex.requestMade;
  const words = input.expanded;
  // (a past participle a few words after a request word is what the customer wants done: "I want a proper complaint
  // opened", "nak aduan ni difailkan")
  const wanted = (i: number) => words.slice(Math.max(0, i - WANTED_DONE_WORDS), i).some((w) => input.lex.requestWords.has(w));
  return words.some((w, i) => (made.past.has(w) && !wanted(i)) || (made.done.has(w) && made.actions.has(words[i + 1] ?? '')));
}

/** Words before a past participle in which a request word makes it wanted, not told as done (tellsRequestMade). */
const WANTED_DONE_WORDS = 4;

/** Thanks in a clause of its own, and no question: the customer closing ("Got it, thanks!", "ok tq, nnt sy semak"). */
function closingThanks(input: AnalysedText): boolean {
  return thanksClauseIn(input) && !looksLikeQuestion(input);
}

/** A question mark, or a first word (or two) of the lexicon's questionStarts ("apa", "macam mana", "how"). */
function looksLikeQuestion(input: AnalysedText): boolean {
  const starts = input.lex.questionStarts;
  // (after politeness of its own: "then just tell me how to upgrade …", "ok so how do I …")
  const polite = input.lex.commands.politeness;
  const startsQuestion = (all: readonly string[]) => {
    let skip = 0;
    while (skip < Math.min(3, all.length - 1) && polite.has(all[skip]!)) skip++;
    const [first = '', second] = all.slice(skip, skip + 2);
    return starts.has(first) || (second !== undefined && starts.has(`${first} ${second}`));
  };
  if (input.text.includes('?') || startsQuestion(input.tokens)) return true;
  // a question after an opening clause ("actually never mind, can you tell me how …"): each clause's start
  const clauses = input.text.slice(0, 600).split(CLAUSE_BREAK).slice(1, MAX_CLAUSES);
  return clauses.some((clause) => clause.trim() !== '' && startsQuestion(analyseText(clause, input.lex).tokens));
}

