/**
 * A held-out set measured in numbers only shows no message of it in the eval's log or results file: its confusions
 * are counted, never listed; every set registered as "numbers only" is marked so.
 */
import { confusionLines, SETS, type SystemResult } from '../../src/cli/eval';

const sys: Pick<SystemResult, 'name' | 'confusions'> = {
  name: 'this project',
  confusions: [
    { text: 'a held-out message about a lost parcel', lang: 'en', expected: 'out_of_scope', got: 'core.ticket-status', decision: 'answer', score: 0.7 },
    { text: 'mesej kedua yang disimpan', lang: 'ms', expected: 'ebiz.upgrade-account', got: '(fallback) ebiz.register', decision: 'fallback', score: 0.2 },
  ],
};

test('a development set lists its confusions with their messages', () => {
  const lines = confusionLines({ name: 'dev', file: 'test/eval/dev.yaml' }, sys).join('\n');
  expect(lines).toContain('Confusions of this project (2)');
  expect(lines).toContain('a held-out message about a lost parcel');
  expect(lines).toContain('expected ebiz.upgrade-account, got (fallback) ebiz.register');
});

test('a numbers-only set counts its confusions and names neither a message nor a label', () => {
  const lines = confusionLines({ name: 'held', file: 'test/eval/held.yaml', numbersOnly: true }, sys).join('\n');
  expect(lines).toContain('Confusions of this project: 2');
  for (const c of sys.confusions) {
    expect(lines).not.toContain(c.text);
    expect(lines).not.toContain(c.expected);
  }
});

test('every set named "numbers only" is marked numbersOnly, and only those', () => {
  for (const set of SETS) expect([set.name, !!set.numbersOnly]).toEqual([set.name, set.name.includes('numbers only')]);
  expect(SETS.filter((s) => s.numbersOnly).length).toBeGreaterThanOrEqual(7);
});
