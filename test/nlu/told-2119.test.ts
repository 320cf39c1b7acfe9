/**
 * Messages that tell, and matters neither document covers (2026-12-07, development set 2119), on the real knowledge
 * base, in Malay and English. None of these messages is in an evaluation set; those not marked as guards failed at
 * bb56929.
 * - A device contract told beside prepaid, the line type wished for, is the question of the contract's penalty (a signal
 *   of the penalty's entry; not beside postpaid, which a contract's phone comes with).
 * - An amount told as come from nowhere is puzzling (lexicon cue puzzled): how the bill was worked out.
 * - Family plans and shared data, a lost SIM, roaming charged without Roam Monthly, an eBiz licence lent to another firm
 *   are out of scope (lexicon outOfScope); "keluarga" is a root, not "ke-" and "luarga".
 */
import { answered, decided } from '../helpers/recognizer';

test.each([
  ['Device contract with Digi still has 7 months to run. Cash is tight, I want prepaid.', 'planswitch.contract-penalty'],
  // (a guard)
  ['Kontrak telefon dengan Digi ada 7 bulan lagi. Duit sempit, sy nak guna prepaid je.', 'planswitch.contract-penalty'],
])('a device contract told beside prepaid asks about the penalty: %s', (text, id) => {
  answered(text, id);
});

test('(a guard) a phone on instalments with a postpaid plan is no question of a penalty', () => {
  expect(decided('ada tak pakej ansuran samsung sekali dengan pelan postpaid digi').decision).toBe('fallback');
});

// (guards: each right before the cue, which "The pro-rata line on my bill looks like it was pulled out of thin air" of
// development set 2119 needed)
test.each([
  ['The pro-rata charge on my bill looks like a number pulled out of thin air.', 'planswitch.prorata-formula'],
  ['Caj pro-rata dalam bil sy ni entah dari mana datang angkanya.', 'planswitch.prorata-formula'],
])('an amount told as come from nowhere asks how the bill was worked out: %s', (text, id) => {
  answered(text, id);
});

// (all but the first are guards: declined before for other words they name)
test.each([
  ['Digi ada pelan keluarga? Nak kongsi data dengan anak-anak.'],
  ['Does Digi have a family plan so my kids can share my data?'],
  ['How much does Digi charge for roaming in Korea if I do not have Roam Monthly?'],
  ['Can we share our eBiz digital licence with a subcontractor on the same job?'],
  ['lost my sim yesterday, how do I get a new one'],
])('out of scope: %s', (text) => {
  expect(decided(text).decision).toBe('fallback');
});
