/**
 * zod schemas of the files in knowledge/: a pack file (packs/<pack>.yaml), the plan-switch rules
 * (plan-rules.yaml) and the plan catalogue (plans.yaml).
 *
 * The schemas check shape only. Cross references (follow-up ids, procedure ids, the ids a switch
 * type points to, placeholders) are checked by the loader so that each problem gets its own
 * finding code and names the file and the entry.
 */
import { z } from 'zod';
import { QUANTITY_KINDS, SWITCH_TYPES } from './types';

const text = z.string();

/** Both languages of a text. Missing languages are reported before the schema runs. */
export const bilingualSchema = z.object({ ms: text, en: text }).strict();

/** A list of texts per language. */
const bilingualList = z.object({ ms: z.array(text), en: z.array(text) }).strict();

/** The kinds of story examples of an entry (see rawEntrySchema.stories). */
export const STORY_KINDS = ['long', 'indirect', 'situation'] as const;
/** Fewest story examples of each kind per language (the real knowledge base; fixtures may have none). */
export const STORY_MIN = 3;

export const PROCEDURE_MODES = ['instead', 'after', 'offer'] as const;

/** One entry as an author writes it in a pack file. */
export const rawEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+\.[a-z0-9-]+$/, 'id must look like "<pack>.<slug>" (lower case, digits, dashes)'),
    kind: z.enum(['faq', 'procedure']).default('faq'),
    status: z.enum(['complete', 'incomplete']).default('complete'),
    incompleteReason: z.string().min(1).optional(),
    /** A short name per language for buttons (at most LABEL_MAX_CHARS, meaningful alone); lint requires it. */
    label: bilingualSchema.optional(),
    question: bilingualSchema,
    paraphrases: bilingualList,
    /**
     * Messages the way customers really write them, by kind (test/knowledge/load-real.test.ts requires at least
     * STORY_MIN of each kind per language): `long` tells a story of 2–4 sentences and asks at the end; `indirect`
     * leaves the question implied ("my bill this month has two monthly fees"); `situation` describes the
     * customer's situation and asks for something to be done. They are examples like the paraphrases.
     */
    stories: z
      .object({
        long: bilingualList.optional(),
        indirect: bilingualList.optional(),
        situation: bilingualList.optional(),
        /**
         * Needs implied by a worry or a situation in the situation's own words ("baru topup RM40 semalam, minggu depan dah
         * nak jadi postpaid"): examples like the others, except that their words are no topical evidence of the entry,
         * so that a question about something else in the same words is not taken for this entry's (nlu/recognizer.ts).
         */
        implied: bilingualList.optional(),
      })
      .strict()
      .optional(),
    answer: bilingualSchema.optional(),
    followups: z.array(z.string()).default([]),
    gives: z.array(z.enum(QUANTITY_KINDS)).default([]),
    /** Lexicon concepts or cues of which a message must name one for the entry to answer it (KnowledgeEntry.needs). */
    needs: z.array(z.string().regex(/^[a-z0-9-]+$/)).default([]),
    /** Lexicon concepts or cues that, named by a message that names none of the entry's signals, rule the entry out (KnowledgeEntry.unless). */
    unless: z.array(z.string().regex(/^[a-z0-9-]+$/)).default([]),
    /** Sets of lexicon concepts that, all named, mark a message out as the entry's among its neighbours (KnowledgeEntry.signals). */
    signals: z.array(z.array(z.string().regex(/^[a-z0-9-]+$/)).min(1)).default([]),
    /** The dialog id is checked by the loader against the registered procedures ("dangling-procedure"), not here. */
    procedure: z.object({ dialog: z.string(), mode: z.enum(PROCEDURE_MODES) }).strict().optional(),
    source: z.string().optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.status === 'incomplete') {
      if (e.answer) ctx.addIssue({ code: 'custom', path: ['answer'], message: 'an incomplete entry has no answer (it is never shown)' });
      if (!e.incompleteReason) ctx.addIssue({ code: 'custom', path: ['incompleteReason'], message: 'an incomplete entry needs an incompleteReason' });
    } else if (e.incompleteReason) {
      ctx.addIssue({ code: 'custom', path: ['incompleteReason'], message: 'incompleteReason is only for status: incomplete' });
    }
    if (e.kind === 'faq' && e.status === 'complete' && !e.answer) {
      ctx.addIssue({ code: 'custom', path: ['answer'], message: 'a complete faq entry needs an answer' });
    }
    if (e.kind === 'procedure' && !e.procedure) {
      ctx.addIssue({ code: 'custom', path: ['procedure'], message: 'a procedure entry needs a procedure' });
    }
  });
export type RawEntry = z.infer<typeof rawEntrySchema>;

export const packFileSchema = z
  .object({
    pack: z.string().regex(/^[a-z0-9]+$/, 'pack must be lower case letters and digits'),
    /** Default source document of the pack's entries. */
    source: z.string().optional(),
    /** Lexicon concepts that name the pack's domain (KnowledgeEntry.markers). */
    markers: z.array(z.string().regex(/^[a-z0-9-]+$/)).default([]),
    /** Out-of-scope terms of the lexicon that name a rival of the pack's domain (KnowledgeEntry.rivals). */
    rivals: z.array(z.string().min(1)).default([]),
    /** Every entry of the pack is about a plan change (KnowledgeEntry.aboutChange). */
    aboutChange: z.boolean().default(false),
    entries: z.array(z.unknown()),
  })
  .strict();

const conditionIds = ['line-active', 'no-outstanding-bill', 'switch-limit', 'sufficient-prepaid-balance'] as const;
const lineType = z.enum(['prepaid', 'postpaid']);
const switchTypeIdSchema = z.enum(SWITCH_TYPES as unknown as [string, ...string[]]);

export const switchTypeSchema = z
  .object({
    id: switchTypeIdSchema,
    from: lineType,
    to: lineType,
    label: bilingualSchema,
    conditions: z.array(z.enum(conditionIds)).min(1),
    forfeits: z.array(z.string()),
    notes: z.array(z.string()),
    onlyAt: z.string().optional(),
    contractPenalty: z.boolean(),
    noReturnToWithdrawnPlan: z.boolean(),
    creditCarryOver: z.boolean(),
    prorata: z.enum(['both-plans', 'final-bill', 'first-bill']),
  })
  .strict();

export const planRulesSchema = z
  .object({
    maxSwitchesPerMonth: z.number().int().positive(),
    creditCarryOverCapSen: z.number().int().nonnegative(),
    conditions: z.object(Object.fromEntries(conditionIds.map((c) => [c, bilingualSchema])) as Record<(typeof conditionIds)[number], typeof bilingualSchema>).strict(),
    forfeits: z.record(z.string(), bilingualSchema),
    notes: z.record(z.string(), bilingualSchema),
    places: z.record(z.string(), bilingualSchema),
    prorataFormula: bilingualSchema,
    switchTypes: z
      .object(Object.fromEntries(SWITCH_TYPES.map((s) => [s, switchTypeSchema])) as Record<string, typeof switchTypeSchema>)
      .strict(),
  })
  .strict();

export const planSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'plan id must be lower case letters, digits and dashes'),
    name: z.string().min(1),
    type: lineType,
    monthlyFeeSen: z.number().int().nonnegative(),
    offered: z.boolean(),
    fromSource: z.boolean(),
  })
  .strict();

export const plansFileSchema = z.object({ plans: z.array(planSchema).min(1) }).strict();
