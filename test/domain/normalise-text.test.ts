/**
 * The one text normaliser (issue 20): normaliseText and its named wrappers. Each wrapper keeps the behaviour
 * of the normaliser it replaced (the tables below were the outputs of the old code), in linear time.
 */
import { foldCase, normaliseText, type NormaliseOptions } from '../../src/domain/text';
import { normalise as lintKey } from '../../src/knowledge/lint';
import { normaliseQuestion } from '../../src/bot/supportBot';
import { normalise as planKey } from '../../dialogs/planswitch-common';
import { compileLexicon } from '../../src/language/lexicon';
import { tokenize } from '../../src/language/normalize';

describe('normaliseText', () => {
  const table: Array<[string, NormaliseOptions, string]> = [
    // default: fold case and compatibility forms, collapse white space, keep punctuation
    ['  Apa  Beza\tPengguna\nBiasa?  ', {}, 'apa beza pengguna biasa?'],
    ['ＥＢＩＺ ｖ２', {}, 'ebiz v2'],
    ['ﬁx points', {}, 'fix points'],
    // words only: accents folded, every run of other characters one space
    ['Café — "Pro-rata"!', { wordsOnly: true }, 'cafe pro rata'],
    ['e-mel / e-mail', { wordsOnly: true }, 'e mel e mail'],
    ['Postpaid → Prepaid', { wordsOnly: true }, 'postpaid prepaid'],
    ['Postpaid → Prepaid', { wordsOnly: true, keep: '→' }, 'postpaid → prepaid'],
    ['a]b^c-d\\e', { wordsOnly: true, keep: ']^-\\' }, 'a]b^c-d\\e'],
    // bracketed remarks
    ['Digi Postpaid 80 (tidak ditawarkan lagi)', { wordsOnly: true, dropBrackets: true }, 'digi postpaid 80'],
    ['Pelan (lama) dan (baru', { wordsOnly: true, dropBrackets: true }, 'pelan dan baru'],
    // the end of a question
    ['How do I upgrade my account?? ', { trimQuestionEnd: true }, 'how do i upgrade my account'],
    ['Semak status tiket saya . ! ?', { trimQuestionEnd: true }, 'semak status tiket saya'],
    ['', { trimQuestionEnd: true }, ''],
    ['?!.', { trimQuestionEnd: true }, ''],
  ];
  test.each(table)('%j %j -> %j', (text, options, expected) => {
    expect(normaliseText(text, options)).toBe(expected);
  });

  test('foldCase leaves ASCII as it is, folds the rest', () => {
    expect(foldCase('Hello WORLD')).toBe('hello world');
    expect(foldCase('ＨＥＬＬＯ')).toBe('hello');
  });

  test('linear time on hostile text (long runs of brackets, punctuation, spaces)', () => {
    const hostile = ['('.repeat(50_000), '. '.repeat(50_000) + 'x', '?'.repeat(100_000), ' '.repeat(100_000) + 'a'];
    const t0 = Date.now();
    for (const h of hostile) {
      normaliseText(h, { wordsOnly: true, dropBrackets: true });
      normaliseText(h, { trimQuestionEnd: true });
    }
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('the named wrappers keep the behaviour of the normalisers they replaced', () => {
  test.each([
    ['Apakah dokumen yang perlu di bawa?', 'apakah dokumen yang perlu di bawa'],
    ['Naik-taraf akaun (eBiz) — pengguna', 'naik taraf akaun ebiz pengguna'],
    ['Résumé', 'resume'],
  ])('knowledge lint key %j', (text, expected) => expect(lintKey(text)).toBe(expected));

  test.each([
    ['How do I upgrade my user account?', 'how do i upgrade my user account'],
    ['  Semak   status tiket saya ?! ', 'semak status tiket saya'],
    ['Mula semakan →', 'mula semakan →'],
  ])('clicked question key %j', (text, expected) => expect(normaliseQuestion(text)).toBe(expected));

  test.each([
    ['Postpaid → Postpaid', 'postpaid → postpaid'],
    ['Digi Postpaid 58 (tidak ditawarkan)', 'digi postpaid 58'],
    ['POSTPAID-80', 'postpaid 80'],
  ])('plan and switch name key %j', (text, expected) => expect(planKey(text)).toBe(expected));

  test('lexicon terms and tokens fold case the same way', () => {
    const minimal = {
      shortForms: { 'ＣＡＭＮＥ': 'macam  mana' },
      stopwords: { ms: [], en: [] },
      markers: { ms: [], en: [] },
      concepts: { account: ['Akaun', 'ACCOUNT'] },
      outOfScope: [],
      languageSwitch: { ms: [], en: [] },
      commands: { politeness: [], cancel: [], help: [], menu: [], greeting: [], thanks: [], yes: [], no: [] },
      months: Object.fromEntries(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'].map((m, i) => [m, i + 1])),
      direction: { from: [], to: [], filler: [], sameKind: [] },
      methodWords: [],
      neutral: [],
      englishExpansions: [],
      questionStarts: [],
      stemmer: { exceptions: {}, protected: [], roots: [] },
    };
    const lex = compileLexicon(minimal);
    expect(lex.shortForms.get('camne')).toEqual(['macam', 'mana']);
    expect(lex.conceptTerms.get('akaun')).toBe('account');
    expect(tokenize('ＣＡＭＮＥ Akaun')).toEqual(['camne', 'akaun']);
  });
});
