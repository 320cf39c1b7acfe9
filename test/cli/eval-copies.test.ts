/**
 * npm run eval refuses an evaluation set holding a knowledge example word for word (a test message copied into the
 * knowledge would flatter the recognizer); a phrase of four words or fewer that two people write alike is reported
 * apart, never counted as a copy.
 */
import path from 'node:path';
import { COINCIDENCE_MAX_WORDS, copiedExamples } from '../../src/cli/eval';
import { loadKnowledge } from '../../src/knowledge';

test('copies of knowledge examples are found in canonical form; short coincidences are listed apart', () => {
  const kb = loadKnowledge(path.join(__dirname, '../../knowledge'));
  const upgrade = kb.byId.get('ebiz.upgrade-account')!;
  const long = upgrade.examples.en.find((x) => x.split(/\s+/).length > COINCIDENCE_MAX_WORDS)!;
  const { copies, short } = copiedExamples(
    [
      { text: `  ${long.toUpperCase()}  `, lang: 'en', label: upgrade.id },
      { text: 'my tickets', lang: 'en', label: 'core.my-tickets' },
      { text: 'a message nobody wrote into the knowledge, about lunch', lang: 'en', label: 'out_of_scope' },
    ],
    kb.entries,
  );
  expect(copies.map((c) => c.label)).toEqual([upgrade.id]);
  expect(short.map((c) => c.text)).toEqual(['my tickets']);
});
