/** The knowledge base: loading, validation, placeholders and the lint. */
export { loadKnowledge, loadKnowledgeLexicon, readKnowledge, readLexicon, KnowledgeError, parsePackList, CORE_PACK, MIN_PARAPHRASES } from './loader';
export type { LintFinding, ReadEntry, ReadResult } from './loader';
export { lintKnowledge, formatFinding, normalise, shingles, jaccard, NEAR_DUPLICATE_THRESHOLD, MAX_ANSWER_CHARS } from './lint';
export { expandAnswer, expandPlaceholders, numberWord, PlaceholderError } from './placeholders';
export type { Bilingual, KnowledgeBase, KnowledgeEntry, Lang, Plan, PlanRules, ProcedureId, ProcedureMode, SwitchType, SwitchTypeId, ConditionId, LineType, ProRataKind } from './types';
export { LANGS, SWITCH_TYPES } from './types';
