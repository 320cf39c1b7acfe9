/** The recognizer on the real knowledge base, and what it decides of a message: shared by the recognizer's rule tests. */
import path from 'path';
import { loadKnowledge, loadKnowledgeLexicon } from '../../src/knowledge';
import { DEFAULT_RECOGNIZER_OPTIONS, Recognizer } from '../../src/nlu/recognizer';

let built: Recognizer | undefined;

/** Built once per test file (the knowledge of knowledge/, its lexicon, the default options). */
export function realRecognizer(): Recognizer {
  const dir = path.join(__dirname, '../../knowledge');
  return (built ??= Recognizer.build(loadKnowledge(dir).entries, DEFAULT_RECOGNIZER_OPTIONS, loadKnowledgeLexicon(dir)));
}

/** The decision on `text` and its first candidate, with the text (so that a failure says which message). */
export function decided(text: string): { text: string; decision: string; top: string | undefined } {
  const r = realRecognizer().match(text);
  return { text, decision: r.decision, top: r.candidates[0]?.entry.id };
}

/** Expects `text` answered outright with the entry `id`. */
export function answered(text: string, id: string): void {
  expect(decided(text)).toEqual({ text, decision: 'answer', top: id });
}
