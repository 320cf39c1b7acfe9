import { detectLanguage, textAfterSwitch } from '../../src/language/detect';

describe('detectLanguage', () => {
  test.each([
    ['camne nk upgrade akaun', 'ms'],
    ['will my prepaid balance carry over to postpaid', 'en'],
    ['nak tukar plan postpaid to prepaid boleh x', 'ms'],
    ['x boleh login guna ID lama', 'ms'],
    ['how do i change my plan', 'en'],
    ['baki kredit prepaid hilang ke', 'ms'],
    ['can i top up prepaid kat kaunter', 'en'],
  ])('%s -> %s (even with an en-US locale)', (text, lang) => {
    expect(detectLanguage(text, { locale: 'en-US' }).lang).toBe(lang);
  });

  test('ambiguous messages follow the priors: stored choice, then locale, then ms', () => {
    // "no" is also Malay's short "nombor" ("no ic 900101-10-5431", "no tel …"): no evidence either way
    for (const text of ['ok', 'hi', 'hello', 'no', 'no ic 900101-10-5431', 'no tel 012-345 6789']) {
      expect(detectLanguage(text, { stored: 'en', locale: 'ms-MY' }).lang).toBe('en');
      expect(detectLanguage(text, { stored: 'ms', locale: 'en-US' }).lang).toBe('ms');
      expect(detectLanguage(text, { locale: 'en-US' }).lang).toBe('en');
      expect(detectLanguage(text).lang).toBe('ms');
      expect(detectLanguage(text, { locale: 'en-US' }).explicitSwitch).toBeUndefined();
    }
  });

  test.each([
    ['English please', 'en'],
    ['english', 'en'],
    ['BM', 'ms'],
    ['tukar ke bahasa melayu', 'ms'],
    ['Bahasa Melayu', 'ms'],
    ['speak english pls', 'en'],
    // the request in a sentence of its own, then why
    ['eh boleh cakap melayu je tak? senang sikit nak faham', 'ms'],
    ['can you reply in english? my malay is not so good, sorry about that', 'en'],
    // or in a clause or sentence holding nothing else ("BM boleh? nak forward kat mak sy")
    ['in English please, suami sy nak baca sekali', 'en'],
    ['BM boleh? nak forward kat mak sy', 'ms'],
  ])('explicit switch: %s -> %s', (text, lang) => {
    const g = detectLanguage(text, { stored: lang === 'ms' ? 'en' : 'ms' });
    expect(g.explicitSwitch).toBe(lang);
    expect(g.lang).toBe(lang);
  });

  test.each(['hai', 'assalamualaikum', 'selamat pagi', 'salam', 'Hai, selamat malam'])('a Malay greeting is Malay whatever the priors: %s', (text) => {
    expect(detectLanguage(text, { stored: 'en', locale: 'en-US' }).lang).toBe('ms');
    expect(detectLanguage(text, { locale: 'en-US' }).explicitSwitch).toBeUndefined();
  });

  test.each([
    ['BM boleh?', 'ms'],
    ['cakap melayu je', 'ms'],
    ['boleh cakap bahasa melayu?', 'ms'],
    ['can you reply in malay please, my english not good', 'ms'],
    ['in bahasa please', 'ms'],
    ['can we continue in english', 'en'],
    ['saya tak faham, english please', 'en'],
    ['boleh guna bahasa inggeris?', 'en'],
    // back to a language, said to be fine
    ['actually English is fine, sorry', 'en'],
    ['sebenarnya BM pun ok, maaf', 'ms'],
  ])('a language named in a request switches: %s -> %s', (text, lang) => {
    const g = detectLanguage(text, { stored: lang === 'ms' ? 'en' : 'ms' });
    expect(g.explicitSwitch).toBe(lang);
    expect(g.lang).toBe(lang);
  });

  test.each(["I don't speak malay", 'tak reti cakap english', 'my english not good', 'nak tukar ke prepaid', 'how do i switch plan to postpaid', 'I am sorry, my english is bad', 'BM sy lemah'])(
    'no switch when the language is negated or not named: %s',
    (text) => {
      expect(detectLanguage(text).explicitSwitch).toBeUndefined();
    },
  );

  test('a question that mentions English is not a switch', () => {
    expect(detectLanguage('is the ebiz portal available in english or only malay').explicitSwitch).toBeUndefined();
  });
});

test('thanks alone follows the conversation\'s language; with none known, its own words decide', () => {
  expect(detectLanguage('ok tq', { stored: 'en' }).lang).toBe('en');
  expect(detectLanguage('thx', { stored: 'ms' }).lang).toBe('ms');
  expect(detectLanguage('tq ya', { stored: 'en' }).lang).toBe('en');
  expect(detectLanguage('ok tq', { locale: 'en-US' }).lang).toBe('ms');
  // English thanks in a Malay conversation stays Malay; Malay thanks in an English one reads as Malay
  expect(detectLanguage('ok thanks', { stored: 'ms' }).lang).toBe('ms');
  expect(detectLanguage('thank you', { stored: 'ms' }).lang).toBe('ms');
  expect(detectLanguage('terima kasih', { stored: 'en' }).lang).toBe('ms');
  expect(detectLanguage('thank you', { stored: 'en' }).lang).toBe('en');
  expect(detectLanguage('ok tq, nanti sy semak bil', { stored: 'en' }).lang).toBe('ms');
});

describe('what follows a request for a language', () => {
  test.each([
    ['BM boleh? IC sy 900101-10-5431', 'IC sy 900101-10-5431'],
    // after an opening of apology, the first sentence is the request
    ['sorry, can we switch to English? easier for me. The switch date is 1 Feb 2026', 'easier for me. The switch date is 1 Feb 2026'],
    ['eh sorry, boleh sambung dalam BM? lagi senang. sy tukar pelan pada 31 Jan 2026', 'lagi senang. sy tukar pelan pada 31 Jan 2026'],
  ])('%s', (text, rest) => {
    expect(textAfterSwitch(text)).toBe(rest);
  });

  test('a language said to be weak in a later sentence asks for nothing: the first sentence decides', () => {
    expect(detectLanguage('Sorry, can we continue in English? My Malay is still very basic.', { stored: 'ms' }).explicitSwitch).toBe('en');
  });
});

