/**
 * Building the recognizer as the bot runs it: the thresholds from the configuration, the model's weights cached
 * under DATA_DIR/cache (src/nlu/modelCache.ts), and each match timed and
 * its confidence observed in the metrics. Used at start-up (src/runtime.ts) and when the reviewed knowledge
 * overlay changes (src/features/insight.ts rebuilds off the hot path, then swaps).
 */
import path from 'node:path';
import type { Config } from '../config';
import type { KnowledgeEntry } from '../knowledge/types';
import type { Lexicon } from '../language/lexicon';
import type { Metrics } from '../services/metrics';
import { fileWeightCache } from './modelCache';
import { DEFAULT_RECOGNIZER_OPTIONS, Recognizer } from './recognizer';

export function buildRecognizer(
  entries: KnowledgeEntry[],
  config: Pick<Config, 'NLU_ANSWER_THRESHOLD' | 'NLU_CLARIFY_THRESHOLD' | 'dataDir'>,
  metrics?: Pick<Metrics, 'recognition'>,
  lexicon?: Lexicon,
): Recognizer {
  const recognizer = Recognizer.build(
    entries,
    {
      ...DEFAULT_RECOGNIZER_OPTIONS,
      ...(config.NLU_ANSWER_THRESHOLD !== undefined ? { answerThreshold: config.NLU_ANSWER_THRESHOLD } : {}),
      ...(config.NLU_CLARIFY_THRESHOLD !== undefined ? { clarifyThreshold: config.NLU_CLARIFY_THRESHOLD } : {}),
    },
    lexicon,
    // the trained weights kept under DATA_DIR/cache (beside the parsed YAML): a start with unchanged knowledge skips training
    fileWeightCache(path.join(config.dataDir, 'cache')),
  );
  if (metrics) {
    // the instance's own match, timed: the recognizer stays a plain Recognizer for everything that holds it
    const match = recognizer.match.bind(recognizer);
    recognizer.match = (text, lang) => {
      const started = process.hrtime.bigint();
      const recognition = match(text, lang);
      metrics.recognition(recognition.decision, recognition.candidates[0]?.score ?? 0, Number(process.hrtime.bigint() - started) / 1e9);
      return recognition;
    };
  }
  return recognizer;
}
