/**
 * The pure readers behind the rules around a running procedure: a cancel clause of its own (not a description
 * holding the words), the message without its cancel clauses (what is asked after "never mind, …"), and a
 * switch date named by words of switching (not taken by default).
 */
import { parseProRataRequest } from '../../src/domain/prorata';
import { cancelClauseIn, withoutCancelClauses } from '../../src/language/commands';
import { lexicon } from '../../src/language/lexicon';
import { analyseText } from '../../src/language/normalize';

describe('a cancel clause of its own', () => {
  test.each([
    ['eh tak jadi la, dah settle', true],
    ['ok terima kasih. pasal line tu, batal je', true],
    ['actually never mind, they fixed it', true],
    ['thanks. cancel it', true],
    ['bayaran saya tak jadi tapi duit dah tolak', false],
    ['the payment did not go through, never mind the receipt', false],
    ['how do I cancel my old plan?', false],
  ] as const)('%s → %s', (text, expected) => {
    expect(cancelClauseIn(analyseText(text, lexicon()))).toBe(expected);
  });
});

describe('the message without its cancel clauses', () => {
  test.each([
    ['actually never mind, can you tell me how to upgrade my ebiz account instead?', 'can you tell me how to upgrade my ebiz account instead?'],
    ['eh tak jadi la, camne nak naik taraf akaun ebiz?', 'camne nak naik taraf akaun ebiz?'],
    ['takpe la. batal', ''],
    ['hmm forget it, I will do it later', 'I will do it later'],
  ] as const)('%s → %s', (text, rest) => {
    expect(withoutCancelClauses(analyseText(text, lexicon()))).toBe(rest);
  });
});

describe('a switch date named as such', () => {
  const today = { y: 2026, m: 4, d: 20 };
  test.each([
    ['tukar pada 16 Jun 2026', true],
    ['pertukaran 3hb Mei 2026', true],
    ['switching on 16 June 2026', true],
    ['the change happens on the 11th', true],
    ['16 Jun 2026', false],
    ['on the 11th', false],
  ] as const)('%s → named %s', (text, named) => {
    const req = parseProRataRequest(text, today);
    expect(req.switchDate).toBeDefined();
    expect(req.switchDateNamed ?? false).toBe(named);
  });

  test('a date after billing-cycle words is the period, never the switch date', () => {
    const req = parseProRataRequest('kitaran bil mula 1 Jun 2026', today);
    expect(req.periodStart).toEqual({ y: 2026, m: 6, d: 1 });
    expect(req.switchDate).toBeUndefined();
  });
});
