/**
 * The in-memory shape of the knowledge base, shared by the loader (src/knowledge), the recognizer
 * (src/nlu), the domain rules (src/domain) and the dialogs. The YAML files in knowledge/ are
 * validated by zod schemas in src/knowledge and turned into these types.
 */

export type Lang = 'ms' | 'en';
export const LANGS: readonly Lang[] = ['ms', 'en'] as const;

/** A text in both languages. */
export interface Bilingual {
  ms: string;
  en: string;
}

/**
 * The id of a guided procedure (a dialog) an entry can start: one of the registered procedures (PROCEDURES in
 * dialogs/registry.ts, or the list a deployment passes), which the knowledge loader checks.
 */
export type ProcedureId = string;

/**
 * How an entry relates to its procedure:
 * - instead: start the procedure, show no answer;
 * - after:   show the answer, then start the procedure at once;
 * - offer:   show the answer with a button that starts the procedure.
 */
export type ProcedureMode = 'instead' | 'after' | 'offer';

/**
 * What a question can ask for besides a topic (lexicon quantityQuestions): an amount of money, a length of time, a place
 * to go or act, the conditions of something (stated by the rules' entries, not by the check of a line); and what
 * neither source document ever states, so that no entry gives it and such a question is declined ("what time does the
 * JUPEM counter open on Saturday?", "berapa GB data pelan Postpaid 80?", "what file format is NDCDB data in?", "where
 * exactly is the JUPEM HQ counter located?"): opening hours, a data allowance (or minutes, calls), a file format, an
 * address, a head count ("satu syarikat boleh daftar berapa orang runner?", "how many users can one account have?"), a
 * recommendation ("pelan prepaid mana yang paling sesuai untuk saya?", "which postpaid plan would you recommend?"), the date
 * something ends or expires ("bila kontrak telefon sy tamat?", "when does my prepaid balance expire?"); how many times something
 * may be done ("how many times can one line switch plans in a month?": the limit of changes a month states it).
 */
export const QUANTITY_KINDS = ['cost', 'duration', 'place', 'conditions', 'hours', 'allowance', 'format', 'address', 'headcount', 'recommendation', 'ending', 'frequency'] as const;
export type QuantityKind = (typeof QUANTITY_KINDS)[number];

export interface KnowledgeEntry {
  /** Stable id, "<pack>.<slug>", e.g. "ebiz.upgrade-account". */
  id: string;
  /** The pack the entry belongs to: "ebiz", "planswitch" or "core". */
  pack: string;
  /** faq: has an answer; procedure: exists to start a dialog (answer optional). */
  kind: 'faq' | 'procedure';
  /** The canonical question in both languages. */
  question: Bilingual;
  /**
   * A short name per language for buttons (follow-ups, clarify, menus): at most LABEL_MAX_CHARS, meaningful
   * alone. From the pack file; an entry without one (test fixtures, drafts) falls back to its question.
   */
  label: Bilingual;
  /**
   * Every example the recognizer learns from, per language: the canonical question first, then the paraphrases,
   * then the story examples (long, indirect, situation).
   */
  examples: { ms: string[]; en: string[] };
  /** How many of the examples, at the end, are story examples (a paraphrase added later goes before them). */
  storyExamples?: { ms: number; en: number };
  /**
   * How many of the examples, at the very end, are implied needs (stories.implied): the recognizer learns from them,
   * but their words are no topical evidence of the entry (they are a situation's words, not the topic's).
   */
  impliedExamples?: { ms: number; en: number };
  /** The answer, placeholders already expanded; absent for a pure procedure entry. */
  answer?: Bilingual;
  /** incomplete: the source's answer is missing or cut short; never shown as an answer. */
  status: 'complete' | 'incomplete';
  /** Why an incomplete entry is incomplete (for the lint and for authors). */
  incompleteReason?: string;
  /** Entry ids offered as buttons after the answer. */
  followups: string[];
  procedure?: { dialog: ProcedureId; mode: ProcedureMode };
  /**
   * The quantities the answer gives (a cost, a duration, a place to go or act): a question asking for one the entry does
   * not give ("how much is Roam Monthly?", "berapa lama pautan tu sah?", "where do I go to switch to another prepaid
   * plan?": not the switch's conditions) is not answered by it (lexicon quantityQuestions).
   */
  gives?: QuantityKind[];
  /**
   * Lexicon concepts (or cues) of which a message must name at least one for the entry to answer it: the limit on plan
   * changes a month needs a change ("dah cuba dua tiga kali" in a story of a dead e-mail counts tries, not plan changes),
   * or plans hopped between (cue hopping: "I like to hop between plans").
   */
  needs?: string[];
  /**
   * Lexicon concepts (or cues) that say the contrary of what the entry is about: a message that names one of them, and
   * none of the entry's signals, is not answered by it (the dead e-mail's entry for "nak pindah akaun ebiz lama ke sistem
   * baru, emel sy masih aktif", whose words are those of its examples, "emel lama dah tak aktif", but say the opposite).
   */
  unless?: string[];
  /**
   * Sets of lexicon concepts, each of which, all named in a message, marks it out as this entry's among its neighbours:
   * put first over a close first that lacks them, answered without a clarification over a runner-up that lacks them
   * ("old e-mail" with a problem: the dead e-mail's entry, not logging in with the old ID).
   */
  signals?: string[][];
  /**
   * Lexicon concepts that name the domain of the entry's pack (the pack file's `markers`: eBiz and JUPEM for the portal's
   * FAQ, Digi for the plan-switch guide): a message that names another pack's domain and not this one's is not about it
   * ("Is there an expiry date on the prepaid balance in my eBiz account?" is no Digi prepaid question).
   */
  markers?: string[];
  /**
   * Out-of-scope terms of the lexicon that name a rival of the pack's domain (the pack file's `rivals`: the other mobile
   * operators for the plan-switch guide): a message that names one asks about that rival, not about the entry ("line sy
   * celcom postpaid, nk tukar ke prepaid celcom. syarat sama mcm digi ke", "I'm with Maxis. If I move from postpaid to
   * prepaid while under contract, do they also charge penalty?").
   */
  rivals?: string[];
  /**
   * The entry is about a plan change (its pack file's `aboutChange`: the plan-switch guide): a message that says there is
   * none ("Can I raise my credit limit without changing my plan?", lexicon denial) is not answered by it.
   */
  aboutChange?: true;
  /** The source document the entry comes from (file name under shared/seeds), if any. */
  source?: string;
}

// ---------------------------------------------------------------------------------------------
// Plan-switch rules (knowledge/plan-rules.yaml): the single source for the FAQ answers and the
// eligibility dialog.

export type LineType = 'prepaid' | 'postpaid';
export type SwitchTypeId = 'postpaid-postpaid' | 'postpaid-prepaid' | 'prepaid-prepaid' | 'prepaid-postpaid';
export const SWITCH_TYPES: readonly SwitchTypeId[] = [
  'postpaid-postpaid',
  'postpaid-prepaid',
  'prepaid-prepaid',
  'prepaid-postpaid',
] as const;

/** The conditions a line must meet before a switch, as the operator's guide lists them. */
export type ConditionId = 'line-active' | 'no-outstanding-bill' | 'switch-limit' | 'sufficient-prepaid-balance';

/** How the fee of a switch is pro-rated. */
export type ProRataKind = 'both-plans' | 'final-bill' | 'first-bill';

export interface SwitchType {
  id: SwitchTypeId;
  from: LineType;
  to: LineType;
  label: Bilingual;
  /** Conditions checked before the switch, in the guide's order. */
  conditions: ConditionId[];
  /** Ids of items in PlanRules.forfeits that are lost at the switch. */
  forfeits: string[];
  /** Ids of items in PlanRules.notes: what else changes or must be known. */
  notes: string[];
  /** Where the switch can be done, if the guide restricts it (an id of PlanRules.places). */
  onlyAt?: string;
  /** A penalty is charged when the line is under another contract. */
  contractPenalty: boolean;
  /** After the switch the customer cannot go back to the old plan if it is no longer offered. */
  noReturnToWithdrawnPlan: boolean;
  /** Prepaid credit carried over to the new plan, up to PlanRules.creditCarryOverCapSen. */
  creditCarryOver: boolean;
  prorata: ProRataKind;
}

export interface PlanRules {
  /** At most this many plan switches within one month. */
  maxSwitchesPerMonth: number;
  /** Prepaid credit carried over to postpaid, at most (integer sen; RM100 = 10000). */
  creditCarryOverCapSen: number;
  /** Bilingual text of each condition. */
  conditions: Record<ConditionId, Bilingual>;
  /** Bilingual text of each forfeited item (freebies, rebates, internet quota, Roam Monthly, ...). */
  forfeits: Record<string, Bilingual>;
  /** Bilingual text of each note (pro-rata fee, credit limit follows the new plan, full quota, ...). */
  notes: Record<string, Bilingual>;
  /** Places where a switch can be done (e.g. digi-store). */
  places: Record<string, Bilingual>;
  /** The pro-rata formula in words. */
  prorataFormula: Bilingual;
  switchTypes: Record<SwitchTypeId, SwitchType>;
}

/** A plan of the catalogue (knowledge/plans.yaml). */
export interface Plan {
  id: string;
  name: string;
  type: LineType;
  /** Monthly fee in integer sen. */
  monthlyFeeSen: number;
  /** false: no longer offered to new subscribers. */
  offered: boolean;
  /** true for a plan that the source names; false for a demo plan added for the dialogs. */
  fromSource: boolean;
}

export interface KnowledgeBase {
  /** Enabled packs only. */
  packs: string[];
  entries: KnowledgeEntry[];
  byId: Map<string, KnowledgeEntry>;
  rules: PlanRules;
  plans: Plan[];
  /** The procedure ids the entries were checked against (the loader's `procedures`); a reload checks the same. */
  procedures?: readonly string[];
}
