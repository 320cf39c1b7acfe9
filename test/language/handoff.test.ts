/** Asking for a person (src/language/handoff.ts): words of the lexicon, never the parts of an e-mail or a number. */
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
  ] as const)('%s -> %s', (text, human) => {
    expect(isHumanRequest(text)).toBe(human);
  });
});
