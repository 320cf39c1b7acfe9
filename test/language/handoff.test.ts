/**
 * Asking for a person (src/language/handoff.ts): words of the lexicon, never the parts of an e-mail or a number; in a
 * longer message, its first or last sentence.
 */
import { isHumanRequest } from '../../src/language/handoff';

describe('isHumanRequest', () => {
  test.each([
    ['talk to a human', true],
    ['can I talk to a real person pls', true],
    ['boleh saya bercakap dengan pegawai?', true],
    ['nak cakap dengan orang', true],
    ['pegawai', true],
    // "org" of an address is a short form of "orang" as a word, not inside an e-mail
    ['change the contact email to kevin.ong@example.org', false],
    ['tukar emel hubungan ke siti@contoh.org', false],
    ['contact me at ali@example.org', false],
    ['how do I upgrade my account', false],
    // a story, then the request in a sentence of its own (first or last); a sentence that tells what was done asks nothing
    ['dah 3 kali sy cuba tukar pelan online tp x jadi, geram dah ni. sy nk cakap dgn orang, bukan bot', true],
    ['Please connect me to a staff member. I tried to buy data three times and the payment failed every time.', true],
    ['Saya dah cakap dengan pegawai kaunter semalam. Dia suruh isi borang. Borang tu kat mana?', false],
    ['I spoke to an agent yesterday. They said my ticket is open. What is its status?', false],
    ['My new contact is kevin.ong@example.org. Please update it.', false],
  ] as const)('%s -> %s', (text, human) => {
    expect(isHumanRequest(text)).toBe(human);
  });
});
