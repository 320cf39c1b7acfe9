/**
 * The lexicon of the language layer, from knowledge/lexicon.yaml (data, not code): short forms and slang,
 * stop words, language markers, the bilingual concept map, out-of-scope terms, the Malay stemmer's exceptions
 * and known roots, language-switch phrases and commands, month names, the words of a switch's direction, of
 * a question about a method, of a question's start. compileLexicon validates it; src/knowledge loads it.
 */
import fs from 'fs';
import path from 'path';
import { parseYaml } from '../yamlCache';
import { normaliseText } from '../domain/text';
import type { EnglishWordsSource } from '../nlu/english';
import { englishWordsFile, readEnglishWords } from '../nlu/english';
import { QUANTITY_KINDS, type QuantityKind } from '../knowledge/types';

export type CommandLists = Record<
  'politeness' | 'cancel' | 'cancelObjects' | 'thanksFor' | 'conditions' | 'conditionsThen' | 'help' | 'menu' | 'greeting' | 'smalltalk' | 'thanks' | 'yes' | 'no',
  string[]
>;

/** The lexicon in the shape the code uses (sets and maps, all lower case). */
export interface Lexicon {
  shortForms: Map<string, string[]>;
  stopwords: { ms: Set<string>; en: Set<string> };
  markers: { ms: Set<string>; en: Set<string> };
  /** concept term (space-separated words) -> concept id */
  conceptTerms: Map<string, string>;
  /**
   * Concept ids that frame a question without saying what it is about ("why", "how", "boleh", "di mana"): they
   * count in the score, but an entry matched by nothing else is no answer (src/nlu/recognizer.ts).
   */
  questionConcepts: Set<string>;
  /**
   * The question concepts that, named, make a question of a message (all but lexicon notAsking: "use" frames "guna untuk
   * apa", but "hardly use the data" tells): a message that names none, and no question mark, tells (src/nlu/recognizer.ts).
   */
  askingConcepts: Set<string>;
  /** the longest concept or out-of-scope term, in words */
  maxTermWords: number;
  outOfScope: Set<string>;
  /**
   * Out-of-scope terms of parts that count wherever they stand in one message ("lupa + kata laluan": "Forgot my eBiz v2.0
   * password"), each part its words; written "a + b" in outOfScope. Found by analyze (src/language/normalize.ts).
   */
  outOfScopeTogether: string[][][];
  /**
   * Out-of-scope terms that name a phone or device (iPhone, Samsung): out of scope on their own ("iphone 16 price"),
   * context in a message about a device contract ("my iPhone contract isn't over", src/nlu/recognizer.ts). Optional.
   */
  devices: Set<string>;
  stemmer: { exceptions: Map<string, string>; protected: Set<string>; roots: Set<string> };
  /**
   * ms / en: whole-message switch phrases; names: the languages' names (of one or two words); words: what may
   * stand around a name in a request for it ("in", "cakap", "please", "boleh"); negations ("not", "tak").
   */
  languageSwitch: { ms: Set<string>; en: Set<string>; names: { ms: Set<string>; en: Set<string> }; words: Set<string>; negations: Set<string>; poor: Set<string>; fine: Set<string> };
  commands: Record<keyof CommandLists, Set<string>>;
  /**
   * Asking for a person (live handoff, src/language/handoff.ts): whole-message phrases ("human please"), and
   * a verb of speaking with a word for a person in one short message ("nak cakap dengan orang"), or a word of wanting
   * with a person said to be real ("I need an actual person"), or a question for a human ("Surely there's a human
   * somewhere in your office?"); the words for a machine, whose question with a person's ("are you a bot or a human?")
   * asks what the bot is, not for a person. Optional.
   */
  handoff: { phrases: Set<string>; verbs: Set<string>; persons: Set<string>; wants: Set<string>; genuine: Set<string>; asking: Set<string>; humans: Set<string>; machines: Set<string>; rejecting: Set<string> };
  /** every word the lexicon knows (used as vocabulary for typo correction) */
  words: Set<string>;
  /** month name (full or short, ms and en) -> 1..12 */
  months: Map<string, number>;
  /** words giving the direction of a plan switch (normalize.ts directionFeatures) */
  /**
   * deniedVia: words that may stand between a negator and a line type it denies ("I don't want to go to prepaid", "tak nak
   * prepaid"): a line type so denied is no end of the switch (normalize.ts directionFeatures). Optional.
   */
  direction: { from: Set<string>; to: Set<string>; toAfter: Set<string>; current: Set<string>; objects: Set<string>; filler: Set<string>; sameKind: Set<string>; deniedVia: Set<string> };
  /** words that make a mention of calculating a question about the method (normalize.ts requestFeatures) */
  methodWords: Set<string>;
  /** words typed alike in both languages, no evidence of either (detect.ts) */
  neutral: Set<string>;
  /** pairs of words never read joined as one term ("my digi" is no "mydigi"; normalize.ts analyze) */
  separateWords: Set<string>;
  /**
   * Words naming a ticket reference right before a number in another form than ours ("ref 88213", "no rujukan CS-5567",
   * "ticket #30987"): such a number is a reference the customer was given (normalize.ts maskIdentifiers). Optional.
   */
  ticketReferenceWords: Set<string>;
  /** expansions of short forms that are English evidence (detect.ts) */
  englishExpansions: Set<string>;
  /** first words (one or two, space-separated) that make a message a question */
  questionStarts: Set<string>;
  /** words that make a clause a request ("nak", "tolong", "want", "kira", "check"): a story's clause without one is not */
  requestWords: Set<string>;
  /** words a clause that tells about the customer opens with ("I pay …", "my bill …", "sy dah …"). Optional. */
  speakers: Set<string>;
  /**
   * The words of a customer saying they will do it themselves ("ok nanti sy hubungi khidmat pelanggan", "I'll call
   * them myself"): a speaker, a word of later or of oneself, and a way of reaching someone (commands.ts doesItThemselves).
   * Optional.
   */
  selfAction: { subjects: Set<string>; markers: Set<string>; verbs: Set<string>; unless: Set<string>; oneself: Set<string> };
  /**
   * Openings that take a request back ("no need for a complaint", "x payah buat aduan", "tak nak kira"): a clause
   * that starts with one asks for nothing (src/bot/supportBot.ts). Phrases of up to four words. Optional.
   */
  requestNegations: Set<string>;
  /** Phrases that take a request back after its topic ("migrate akaun tu tak payah la dulu"): src/bot/supportBot.ts. Optional. */
  requestNegationsAfter: Set<string>;
  /**
   * The words of a customer saying there is no plan change ("without changing my plan", "I'm keeping my current plan"):
   * negators and keeping words (phrases, split in words), the fillers that may stand before the plan word, and the
   * words of a destination ("bukan tukar ke prepaid"), the words for the line or plan itself ("not switch it") and the
   * words before a negator that ask about the change instead ("why can I not switch?"); normalize.ts deniesChange. Optional.
   */
  denial: { negators: string[][]; keeps: string[][]; fillers: Set<string>; towards: Set<string>; pronouns: Set<string>; asking: Set<string> };
  /** Words that open a clause in a run-on typed without stops ("tapi", "sbb", "kalau", "but"): nlu/whole.ts sentences. Optional. */
  clauseOpeners: Set<string>;
  /**
   * Words and phrases (their parts) that open a clause giving a reason ("now that I have a steady salary", "sebab gaji
   * dah masuk"): an out-of-scope term after one tells why, not what is asked (normalize.ts analyze). Optional.
   */
  reasonOpeners: string[][];
  /**
   * Words and phrases (expanded) that report what someone else said ("my junior says", "dengar cerita", "was told"): the
   * claim after one, up to the end of its clause, is what an indirect message asks to have confirmed ("junior kat ofis
   * cakap semua org boleh mohon remit, sy rasa mcm x betul je"); src/nlu/recognizer.ts. Optional.
   */
  reportedSpeech: string[][];
  /**
   * Words that deny what follows them ("I don't do online banking", "sy tak guna kad kredit"): an out-of-scope term at
   * most NEGATED_WINDOW words after one is what the customer does not want, not what they ask about. Optional.
   */
  negators: Set<string>;
  /** Words before a negator that make it a question's "or not" ("boleh tak", "ke tidak"): it denies nothing. Optional. */
  questionTags: Set<string>;
  /**
   * Subjects that make a word framing a question (questionConcepts: "can", "could", "able") right after them, or after
   * them and a negator, a statement: "nobody else can do anything on the account" tells, "can I …" asks. English only:
   * a Malay question keeps its order ("saya boleh tukar pelan tak"). nlu/recognizer.ts. Optional.
   */
  statementSubjects: Set<string>;
  /** Phrases (their words) that open a letter's closing ("yang benar", "sekian", "best regards"): nlu/recognizer.ts. Optional. */
  signOffs: string[][];
  /**
   * Phrases (their words) that end a sentence said in passing ("I'm upgrading to a pricier plan soon anyway", "… namun itu
   * perkara berasingan"): such a sentence is not the one a story asks in when another names something (nlu/recognizer.ts).
   * Optional.
   */
  asides: string[][];
  /** Words that keep a switch within the line's own type ("upgrade my postpaid plan to a higher one"): dialogs/eligibility.ts. */
  sameTypeWords: Set<string>;
  /**
   * Phrases that ask for a quantity (a cost: "berapa harga", "how much is"; a duration: "berapa lama", "how long";
   * "harga + berapa": both words anywhere in the question):
   * the question a message asks is answered only by an entry that gives it (KnowledgeEntry.gives;
   * src/nlu/recognizer.ts). Optional.
   */
  quantityQuestions: Map<QuantityKind, string[][]>;
  /** Request words that name what to do ("semak", "calculate"): src/nlu/recognizer.ts askingSentence. */
  requestActions: Set<string>;
  /**
   * How a customer tells a request already made ("sy dah buat aduan", "I've already raised a ticket", "Logged a complaint
   * last Tuesday"): a word of done right before an action, or an action's past form.
   */
  requestMade: { done: Set<string>; actions: Set<string>; past: Set<string> };
  /**
   * Cues: named lists of words and phrases (split in words) that an entry's `signals` may name like a concept, but that
   * are no features of the matcher or the model ("list", "senaraikan", "dah sampai mana"): a mark that tells one entry
   * from a neighbour without moving what every other message is read as. Optional.
   */
  cues: Map<string, string[][]>;
  /**
   * Words that point back to what was said before ("that", "it", "tu", "ni"): a story's asking sentence that names
   * nothing the knowledge knows but holds one asks about the sentence before it (src/nlu/recognizer.ts). Optional.
   */
  references: Set<string>;
  /**
   * Words that ask to be told ("tell", "explain", "beritahu"): a story's asking sentence made only of them and of
   * function words ("Could you tell me?", "Boleh terangkan?") asks about the sentence before it (src/nlu/recognizer.ts).
   * Optional.
   */
  tellWords: Set<string>;
  /**
   * Words that ask only whether what was just said is so ("betul", "true", "really"): a story's asking sentence made
   * only of them and of function words ("… kalau kontrak belum habis. Betul ke?") asks about the sentence before it
   * (src/nlu/recognizer.ts). Optional.
   */
  truthWords: Set<string>;
  /**
   * Particles of chat Malay ("la", "tu", "je", "kan"): they colour a sentence and add none of its length, so a
   * customer's opening request is measured without them (src/bot/supportBot.ts requestInClauses). Optional.
   */
  particles: Set<string>;
  /** words that open a question inside a sentence ("nak tahu aduan tu dah sampai peringkat mana", "would like to know whether …") */
  embeddedQuestions: Set<string>;
  /**
   * Words and phrases (up to three words) of a "what if" about the result just given ("kalau tukar 25hb pulak?",
   * "what if I switch on the 25th instead?", "pelan & kitaran sama"): with a value, the procedure runs again from its
   * last values (src/bot/supportBot.ts). Optional.
   */
  whatIf: Set<string>;
  /**
   * Words and phrases (up to three words) that open a message asking the bot to wait ("kejap sy tgk bil lama", "hold
   * on, let me find it"): src/language/commands.ts holdsOn. Optional.
   */
  holdOn: Set<string>;
  /** Words and phrases that answer a yes/no question at a sentence's start ("ya betul", "no, that's wrong"): dialogs/engine.ts yesNoIn. Optional. */
  answerYes: Set<string>;
  answerNo: Set<string>;
  /** Words that ask why ("why", "kenapa", "asal"): a bare "why?" after a result shows it again (src/bot/supportBot.ts). Optional. */
  whyWords: Set<string>;
  /** Words and phrases that ask to start over ("semula", "start over", "dari awal"): the procedure asked again restarts. Optional. */
  restartWords: Set<string>;
  /**
   * Openings of a message that turns aside ("eh", "wait", "sebenarnya", "before that"): a request for another procedure
   * after one switches to it, even where it would be an answer (src/bot/supportBot.ts). Optional.
   */
  switchOpeners: Set<string>;
  /** Phrases of a customer leaving ("tu je", "that's all", "bye"): src/language/commands.ts leavingOnly. */
  leaving: Set<string>;
  /** general English words (typo correction leaves them alone): read once, on the first call */
  englishWords(): Set<string>;
  /** general Malay (and Indonesian) root words, left alone by typo correction as English words are: read once, on the first call */
  malayWords(): Set<string>;
}

/** A term as the lexicon keeps it: folded to lower case, single spaces (normaliseText). */
const lower = (s: string) => normaliseText(s);

/** lexicon quantityQuestions: { cost: [phrases], duration: [phrases] }, each phrase its parts, lower-cased and padded. */
function quantityQuestionsOf(v: unknown): Map<QuantityKind, string[][]> {
  const out = new Map<QuantityKind, string[][]>();
  if (v === undefined) return out;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('lexicon: quantityQuestions must be a map');
  for (const [kind, phrases] of Object.entries(v as Record<string, unknown>)) {
    if (!(QUANTITY_KINDS as readonly string[]).includes(kind)) throw new Error(`lexicon: quantityQuestions: "${kind}" is not one of ${QUANTITY_KINDS.join(', ')}`);
    // each phrase as its parts ("harga + berapa": both words), each part padded to match whole words only
    out.set(
      kind as QuantityKind,
      asStringArray(phrases, `quantityQuestions.${kind}`).map((x) => x.toLowerCase().split(' + ').map((part) => ` ${part.trim()} `)),
    );
  }
  return out;
}

function asStringArray(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean')) {
    throw new Error(`lexicon: ${where} must be a list of strings`);
  }
  return v.map((x) => lower(String(x)));
}

/** A list of words and phrases of letters only (read into a pattern: no other character may reach it). */
function asPhrases(v: unknown, where: string): string[] {
  const out = asStringArray(v, where);
  for (const p of out) if (!/^[a-z]+(?: [a-z]+)*$/.test(p)) throw new Error(`lexicon: ${where}: "${p}" is not words of letters`);
  return out;
}

function asStringMap(v: unknown, where: string): Record<string, string> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`lexicon: ${where} must be a map`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) out[lower(k)] = lower(String(val));
  return out;
}

/** The lazily read word list named by `key` (englishWords, malayWords; none named: no list, every unknown word may be corrected). */
function englishWordsOf(v: unknown, baseDir: string, key = 'englishWords'): () => Set<string> {
  if (v === undefined) return () => new Set();
  if (!v || typeof v !== 'object' || typeof (v as { file?: unknown }).file !== 'string') throw new Error(`lexicon: ${key} must be { file, package? }`);
  const source = v as EnglishWordsSource;
  if (source.package !== undefined && typeof source.package !== 'string') throw new Error(`lexicon: ${key}.package must be a string`);
  let words: Set<string> | undefined;
  return () => (words ??= readEnglishWords(englishWordsFile(source, baseDir)));
}

/** The month map: every month 1..12 named at least once, names of letters only. */
function asMonths(v: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('lexicon: months must be a map');
  for (const [k, n] of Object.entries(v as Record<string, unknown>)) {
    const name = lower(k);
    if (!/^[a-z]+$/.test(name)) throw new Error(`lexicon: months: "${k}" is not a word`);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 12) throw new Error(`lexicon: months.${k} must be 1..12`);
    out.set(name, n);
  }
  for (let m = 1; m <= 12; m++) if (![...out.values()].includes(m)) throw new Error(`lexicon: months: no name for month ${m}`);
  return out;
}

/** Validates the parsed YAML (throws with the path of the first problem); `baseDir`: its folder (relative files). */
export function compileLexicon(raw: unknown, baseDir = process.cwd()): Lexicon {
  if (!raw || typeof raw !== 'object') throw new Error('lexicon: not a map');
  const r = raw as Record<string, any>;
  const shortForms = new Map<string, string[]>();
  for (const [k, v] of Object.entries(asStringMap(r.shortForms, 'shortForms'))) shortForms.set(k, v.split(' '));
  const conceptTerms = new Map<string, string>();
  let maxTermWords = 1;
  if (!r.concepts || typeof r.concepts !== 'object') throw new Error('lexicon: concepts must be a map');
  for (const [id, terms] of Object.entries(r.concepts as Record<string, unknown>)) {
    for (const t of asStringArray(terms, `concepts.${id}`)) {
      conceptTerms.set(t, id);
      maxTermWords = Math.max(maxTermWords, t.split(' ').length);
    }
  }
  const outOfScopeTerms = asStringArray(r.outOfScope, 'outOfScope');
  const outOfScope = new Set(outOfScopeTerms.filter((t) => !t.includes(' + ')));
  const outOfScopeTogether = outOfScopeTerms.filter((t) => t.includes(' + ')).map((t) => t.split(' + ').map((part) => part.trim().split(/\s+/)));
  for (const parts of outOfScopeTogether) if (parts.some((p) => p.length === 0 || p[0] === '')) throw new Error('lexicon: outOfScope: an empty part in a term "a + b"');
  const questionConcepts = new Set(r.questionConcepts === undefined ? [] : asStringArray(r.questionConcepts, 'questionConcepts'));
  const conceptIds = new Set(Object.keys(r.concepts as Record<string, unknown>));
  for (const c of questionConcepts) if (!conceptIds.has(c)) throw new Error(`lexicon: questionConcepts: "${c}" is not a concept`);
  const notAsking = new Set(r.notAsking === undefined ? [] : asStringArray(r.notAsking, 'notAsking'));
  for (const c of notAsking) if (!questionConcepts.has(c)) throw new Error(`lexicon: notAsking: "${c}" is not one of questionConcepts`);
  const askingConcepts = new Set([...questionConcepts].filter((c) => !notAsking.has(c)));
  for (const t of outOfScope) maxTermWords = Math.max(maxTermWords, t.split(' ').length);
  const devices = new Set(r.devices === undefined ? [] : asStringArray(r.devices, 'devices'));
  for (const d of devices) if (!outOfScope.has(d)) throw new Error(`lexicon: devices: "${d}" is not an outOfScope term`);
  const st = r.stemmer ?? {};
  const cmd = r.commands ?? {};
  const commands = {} as Record<keyof CommandLists, Set<string>>;
  for (const k of ['politeness', 'cancel', 'cancelObjects', 'thanksFor', 'conditions', 'conditionsThen', 'help', 'menu', 'greeting', 'smalltalk', 'thanks', 'yes', 'no'] as const) {
    // small talk, the objects of a cancel, what thanks are for and the openings of a condition are optional (a lexicon
    // without them has none)
    const optional = k === 'smalltalk' || k === 'cancelObjects' || k === 'thanksFor' || k === 'conditions' || k === 'conditionsThen';
    commands[k] = new Set(optional && cmd[k] === undefined ? [] : asStringArray(cmd[k], `commands.${k}`));
  }
  const lex: Lexicon = {
    shortForms,
    stopwords: { ms: new Set(asStringArray(r.stopwords?.ms, 'stopwords.ms')), en: new Set(asStringArray(r.stopwords?.en, 'stopwords.en')) },
    markers: { ms: new Set(asStringArray(r.markers?.ms, 'markers.ms')), en: new Set(asStringArray(r.markers?.en, 'markers.en')) },
    conceptTerms,
    questionConcepts,
    askingConcepts,
    maxTermWords,
    outOfScope,
    outOfScopeTogether,
    devices,
    stemmer: {
      exceptions: new Map(Object.entries(asStringMap(st.exceptions, 'stemmer.exceptions'))),
      protected: new Set(asStringArray(st.protected, 'stemmer.protected')),
      roots: new Set(asStringArray(st.roots, 'stemmer.roots')),
    },
    languageSwitch: {
      ms: new Set(asStringArray(r.languageSwitch?.ms, 'languageSwitch.ms')),
      en: new Set(asStringArray(r.languageSwitch?.en, 'languageSwitch.en')),
      // optional (a lexicon without them knows only the whole-message phrases)
      names: {
        ms: new Set(r.languageSwitch?.names?.ms === undefined ? [] : asStringArray(r.languageSwitch.names.ms, 'languageSwitch.names.ms')),
        en: new Set(r.languageSwitch?.names?.en === undefined ? [] : asStringArray(r.languageSwitch.names.en, 'languageSwitch.names.en')),
      },
      words: new Set(r.languageSwitch?.words === undefined ? [] : asStringArray(r.languageSwitch.words, 'languageSwitch.words')),
      negations: new Set(r.languageSwitch?.negations === undefined ? [] : asStringArray(r.languageSwitch.negations, 'languageSwitch.negations')),
      poor: new Set(r.languageSwitch?.poor === undefined ? [] : asStringArray(r.languageSwitch.poor, 'languageSwitch.poor')),
      fine: new Set(r.languageSwitch?.fine === undefined ? [] : asStringArray(r.languageSwitch.fine, 'languageSwitch.fine')),
    },
    commands,
    handoff: {
      phrases: new Set(r.handoff?.phrases === undefined ? [] : asStringArray(r.handoff.phrases, 'handoff.phrases')),
      verbs: new Set(r.handoff?.verbs === undefined ? [] : asStringArray(r.handoff.verbs, 'handoff.verbs')),
      persons: new Set(r.handoff?.persons === undefined ? [] : asStringArray(r.handoff.persons, 'handoff.persons')),
      wants: new Set(r.handoff?.wants === undefined ? [] : asStringArray(r.handoff.wants, 'handoff.wants')),
      genuine: new Set(r.handoff?.genuine === undefined ? [] : asStringArray(r.handoff.genuine, 'handoff.genuine')),
      asking: new Set(r.handoff?.asking === undefined ? [] : asStringArray(r.handoff.asking, 'handoff.asking')),
      humans: new Set(r.handoff?.humans === undefined ? [] : asStringArray(r.handoff.humans, 'handoff.humans')),
      machines: new Set(r.handoff?.machines === undefined ? [] : asStringArray(r.handoff.machines, 'handoff.machines')),
      rejecting: new Set(r.handoff?.rejecting === undefined ? [] : asStringArray(r.handoff.rejecting, 'handoff.rejecting')),
    },
    words: new Set(),
    months: asMonths(r.months),
    direction: {
      from: new Set(asStringArray(r.direction?.from, 'direction.from')),
      to: new Set(asStringArray(r.direction?.to, 'direction.to')),
      toAfter: new Set(asStringArray(r.direction?.toAfter ?? [], 'direction.toAfter')),
      current: new Set(asStringArray(r.direction?.current ?? [], 'direction.current')),
      objects: new Set(asStringArray(r.direction?.objects ?? [], 'direction.objects')),
      filler: new Set(asStringArray(r.direction?.filler, 'direction.filler')),
      sameKind: new Set(asStringArray(r.direction?.sameKind, 'direction.sameKind')),
      deniedVia: new Set(asStringArray(r.direction?.deniedVia ?? [], 'direction.deniedVia')),
    },
    methodWords: new Set(asStringArray(r.methodWords, 'methodWords')),
    neutral: new Set(asStringArray(r.neutral, 'neutral')),
    separateWords: new Set(r.separateWords === undefined ? [] : asStringArray(r.separateWords, 'separateWords')),
    ticketReferenceWords: new Set(r.ticketReferenceWords === undefined ? [] : asPhrases(r.ticketReferenceWords, 'ticketReferenceWords')),
    englishExpansions: new Set(asStringArray(r.englishExpansions, 'englishExpansions')),
    questionStarts: new Set(asStringArray(r.questionStarts, 'questionStarts')),
    requestWords: new Set(asStringArray(r.requestWords ?? [], 'requestWords')),
    speakers: new Set(asStringArray(r.speakers ?? [], 'speakers')),
    selfAction: {
      subjects: new Set(asStringArray(r.selfAction?.subjects ?? [], 'selfAction.subjects')),
      markers: new Set(asStringArray(r.selfAction?.markers ?? [], 'selfAction.markers')),
      verbs: new Set(asStringArray(r.selfAction?.verbs ?? [], 'selfAction.verbs')),
      oneself: new Set(asStringArray(r.selfAction?.oneself ?? [], 'selfAction.oneself')),
      unless: new Set(asStringArray(r.selfAction?.unless ?? [], 'selfAction.unless')),
    },
    clauseOpeners: new Set(asStringArray(r.clauseOpeners ?? [], 'clauseOpeners')),
    reasonOpeners: asStringArray(r.reasonOpeners ?? [], 'reasonOpeners').map((x) => x.split(' ')),
    reportedSpeech: asStringArray(r.reportedSpeech ?? [], 'reportedSpeech').map((x) => x.split(' ')),
    negators: new Set(asStringArray(r.negators ?? [], 'negators')),
    questionTags: new Set(asStringArray(r.questionTags ?? [], 'questionTags')),
    statementSubjects: new Set(asStringArray(r.statementSubjects ?? [], 'statementSubjects')),
    signOffs: asStringArray(r.signOffs ?? [], 'signOffs').map((x) => x.split(' ')),
    asides: asStringArray(r.asides ?? [], 'asides').map((x) => x.split(' ')),
    denial: {
      negators: asStringArray(r.denial?.negators ?? [], 'denial.negators').map((x) => x.split(' ')),
      keeps: asStringArray(r.denial?.keeps ?? [], 'denial.keeps').map((x) => x.split(' ')),
      fillers: new Set(asStringArray(r.denial?.fillers ?? [], 'denial.fillers')),
      pronouns: new Set(asStringArray(r.denial?.pronouns ?? [], 'denial.pronouns')),
      asking: new Set(asStringArray(r.denial?.asking ?? [], 'denial.asking')),
      towards: new Set(asStringArray(r.denial?.towards ?? [], 'denial.towards')),
    },
    requestNegations: new Set(asStringArray(r.requestNegations ?? [], 'requestNegations')),
    requestNegationsAfter: new Set(asStringArray(r.requestNegationsAfter ?? [], 'requestNegationsAfter')),
    leaving: new Set(asStringArray(r.leaving ?? [], 'leaving')),
    requestActions: new Set(asStringArray(r.requestActions ?? [], 'requestActions')),
    requestMade: {
      done: new Set(asStringArray(r.requestMade?.done ?? [], 'requestMade.done')),
      actions: new Set(asStringArray(r.requestMade?.actions ?? [], 'requestMade.actions')),
      past: new Set(asStringArray(r.requestMade?.past ?? [], 'requestMade.past')),
    },
    cues: new Map(Object.entries((r.cues ?? {}) as Record<string, unknown>).map(([name, v]) => [name, asStringArray(v, `cues.${name}`).map((t) => t.toLowerCase().split(/\s+/))])),
    quantityQuestions: quantityQuestionsOf(r.quantityQuestions),
    references: new Set(asStringArray(r.references ?? [], 'references')),
    tellWords: new Set(asStringArray(r.tellWords ?? [], 'tellWords')),
    truthWords: new Set(asStringArray(r.truthWords ?? [], 'truthWords')),
    particles: new Set(asStringArray(r.particles ?? [], 'particles').map((w) => w.toLowerCase())),
    embeddedQuestions: new Set(asStringArray(r.embeddedQuestions ?? [], 'embeddedQuestions')),
    whatIf: new Set(asStringArray(r.whatIf ?? [], 'whatIf')),
    holdOn: new Set(asStringArray(r.holdOn ?? [], 'holdOn')),
    answerYes: new Set(asStringArray(r.answerYes ?? [], 'answerYes')),
    answerNo: new Set(asStringArray(r.answerNo ?? [], 'answerNo')),
    whyWords: new Set(asStringArray(r.whyWords ?? [], 'whyWords')),
    restartWords: new Set(asStringArray(r.restartWords ?? [], 'restartWords')),
    switchOpeners: new Set(asStringArray(r.switchOpeners ?? [], 'switchOpeners')),
    sameTypeWords: new Set(asStringArray(r.sameTypeWords ?? [], 'sameTypeWords')),
    englishWords: englishWordsOf(r.englishWords, baseDir),
    malayWords: englishWordsOf(r.malayWords, baseDir, 'malayWords'),
  };
  const addWords = (s: string) => s.split(' ').forEach((w) => w && lex.words.add(w));
  for (const [k, v] of shortForms) { addWords(k); v.forEach(addWords); }
  for (const t of conceptTerms.keys()) addWords(t);
  for (const s of [lex.stopwords.ms, lex.stopwords.en, lex.markers.ms, lex.markers.en, outOfScope, lex.stemmer.roots]) s.forEach(addWords);
  for (const parts of outOfScopeTogether) parts.forEach((p) => addWords(p.join(' ')));
  return lex;
}

const phrasePatterns = new WeakMap<Set<string>, Record<'start' | 'anywhere', RegExp>>();

/**
 * A pattern of any of a lexicon list's words and phrases, as whole words (a phrase's spaces match any spacing; the
 * longest first), case-insensitive: at a message's start after non-letters (`start`), or anywhere. Built once per list.
 * (A list's phrases are read as typed, before normalisation: "hold on", "don't".)
 */
export function phrasePattern(phrases: Set<string>, where: 'start' | 'anywhere'): RegExp {
  let built = phrasePatterns.get(phrases);
  if (!built) {
    const alternatives = [...phrases]
      .sort((a, b) => b.length - a.length)
      .map((x) => x.trim().split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'))
      .join('|');
    // (an empty list matches nothing)
    const body = alternatives || '(?!)';
    built = {
      start: new RegExp(`^[^\\p{L}\\p{N}]*(?:${body})(?![\\p{L}\\p{N}])`, 'iu'),
      anywhere: new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`, 'iu'),
    };
    phrasePatterns.set(phrases, built);
  }
  return built[where];
}

/** Where knowledge/lexicon.yaml is, from src/language (ts) or dist/src/language (js). */
export function defaultLexiconPath(): string {
  const candidates = [
    path.resolve(__dirname, '../../knowledge/lexicon.yaml'),
    path.resolve(__dirname, '../../../knowledge/lexicon.yaml'),
    path.resolve(process.cwd(), 'knowledge/lexicon.yaml'),
  ];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`lexicon: knowledge/lexicon.yaml not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function loadLexicon(file: string = defaultLexiconPath()): Lexicon {
  return compileLexicon(parseYaml(fs.readFileSync(file, 'utf8'), file), path.dirname(file));
}

let cached: Lexicon | undefined;
/**
 * The project's own knowledge/lexicon.yaml, loaded on first use: the default of tools and tests that are given
 * no lexicon (bench, eval, unit tests). The bot never uses it: the runtime loads the lexicon of KNOWLEDGE_DIR
 * once (loadKnowledgeLexicon, src/knowledge) and injects it into the recognizer, which every turn's analysed
 * text (analyseText) carries to language detection, commands and the dialogs.
 */
export function lexicon(): Lexicon {
  if (!cached) cached = loadLexicon();
  return cached;
}
