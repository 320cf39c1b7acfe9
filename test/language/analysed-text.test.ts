/**
 * The text of a turn is analysed once (analyseText) and shared by language detection, commands and the
 * recognizer: each gives the same result from the analysed text as from the string. The lexicon comes from
 * the knowledge dir (KNOWLEDGE_DIR) through the knowledge loader, and is the one the bot uses.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadKnowledge, loadKnowledgeLexicon, lintKnowledge, KnowledgeError } from '../../src/knowledge';
import { detectCommand } from '../../src/language/commands';
import { detectLanguage, explicitSwitch } from '../../src/language/detect';
import { analyseText, analyze, maskIdentifiers } from '../../src/language/normalize';
import { Recognizer } from '../../src/nlu/recognizer';
import { DEFAULT_MONTH_WORDS, findDates } from '../../src/domain/dates';
import { createTestChat, joined } from '../helpers/bot';
import { cleanFixtureDirs, fixtureDir, REAL_KB } from '../knowledge/helpers';

afterAll(cleanFixtureDirs);

const lex = loadKnowledgeLexicon(REAL_KB);

const MESSAGES = [
  'camne nk upgrade akaun ebiz',
  'how do I upgrade my ebiz account?',
  'ok tq',
  'cancel la',
  'English please',
  'BM boleh?',
  'ya',
  'x nak',
  'nak tukar dari postpaid ke prepaid pada 11 April, RM58 ke RM80',
  'status TKT-20261122-7QF3 dan emel siti@contoh.com.my',
  'Sy dah lama guna eBiz versi lama, dulu daftar guna no IC. Bila masuk portal baru, sistem tak kenal ID sy. Boleh tolong pindahkan?',
  '',
  '   ',
];

describe('the text of a turn analysed once', () => {
  test.each(MESSAGES)('%j: detection, commands and analysis agree with the string', (text) => {
    const input = analyseText(text, lex);
    expect(detectLanguage(input, { locale: 'en-US' })).toEqual(detectLanguage(text, { locale: 'en-US' }, lex));
    expect(explicitSwitch(input)).toEqual(explicitSwitch(text, lex));
    expect(detectCommand(input)).toEqual(detectCommand(text, lex));
    for (const lang of ['ms', 'en'] as const) expect(analyze(input, lang)).toEqual(analyze(text, lang, { lex }));
  });

  test('the recognizer gives the same recognition for the analysed text and the string', () => {
    const kb = loadKnowledge(REAL_KB);
    const rec = Recognizer.build(kb.entries, undefined, lex);
    expect(rec.lexicon).toBe(lex);
    for (const text of MESSAGES) {
      const a = rec.match(analyseText(text, lex));
      const b = rec.match(text);
      expect({ d: a.decision, c: a.candidates.map((c) => [c.entry.id, c.score]), f: a.features }).toEqual({
        d: b.decision,
        c: b.candidates.map((c) => [c.entry.id, c.score]),
        f: b.features,
      });
    }
  });

  test('identifiers are masked once: personal data never reaches the tokens', () => {
    const input = analyseText('emel saya siti@contoh.com.my, ic 900101-14-5678, tel 012-345 6789', lex);
    expect(input.tokens.join(' ')).not.toMatch(/siti|contoh|\d/);
    expect(input.identifiers.map((i) => i.kind).sort()).toEqual(['email', 'mykad', 'phone']);
  });

  test('the month names of dates are the lexicon\'s', () => {
    expect(maskIdentifiers('tukar pada 11 Ogos', lex).found).toEqual([{ kind: 'date', value: '11 Ogos' }]);
    const noAugust = { ...lex, months: new Map([...lex.months].filter(([name]) => name !== 'ogos')) };
    expect(maskIdentifiers('tukar pada 11 Ogos', noAugust).found.map((f) => f.kind)).not.toContain('date');
  });
});

describe('month names', () => {
  test('the date parser\'s default month names are the lexicon\'s (no drift between the two)', () => {
    expect(Object.fromEntries([...lex.months].sort())).toEqual(Object.fromEntries(Object.entries(DEFAULT_MONTH_WORDS).sort()));
  });

  test('the date parser reads the month names it is given', () => {
    const reference = { y: 2026, m: 1, d: 1 };
    expect(findDates('tukar pada 11 Ogos', { reference }).map((f) => f.result)).toEqual([{ ok: true, value: { y: 2026, m: 8, d: 11 } }]);
    const months = new Map([...lex.months, ['agustus', 8]]);
    expect(findDates('tukar pada 11 Agustus', { reference })).toEqual([]);
    expect(findDates('tukar pada 11 Agustus', { reference, months }).map((f) => f.result)).toEqual([{ ok: true, value: { y: 2026, m: 8, d: 11 } }]);
  });
});

describe('the lexicon of KNOWLEDGE_DIR', () => {
  const realLexicon = fs.readFileSync(path.join(REAL_KB, 'lexicon.yaml'), 'utf8');
  // a dir whose lexicon knows one more switch phrase: "cakap omputih" asks for English
  const withPhrase = () =>
    fixtureDir({ 'lexicon.yaml': { text: realLexicon.replace(/^  en: \[english, /m, '  en: [cakap omputih, english, ') } }, REAL_KB);

  test('is loaded from the dir, or the project\'s when the dir has none', () => {
    const dir = withPhrase();
    expect(explicitSwitch('cakap omputih', loadKnowledgeLexicon(dir))).toBe('en');
    expect(explicitSwitch('cakap omputih', lex)).toBeUndefined();
    const bare = fixtureDir({ 'lexicon.yaml': null });
    expect(fs.existsSync(path.join(bare, 'lexicon.yaml'))).toBe(false);
    expect(loadKnowledgeLexicon(bare).months.get('ogos')).toBe(8);
  });

  test('the English word list is named by the lexicon, read once, relative to the knowledge dir', () => {
    expect(lex.englishWords().has('name')).toBe(true);
    expect(lex.englishWords()).toBe(lex.englishWords());
    const dir = fixtureDir(
      {
        'lexicon.yaml': { text: realLexicon.replace(/^englishWords: .*$/m, 'englishWords: { file: words/english.txt }') },
        'words/english.txt': { text: 'Kettle\nteapot\nab\n' },
      },
      REAL_KB,
    );
    expect([...loadKnowledgeLexicon(dir).englishWords()].sort()).toEqual(['kettle', 'teapot']);
  });

  test('a broken lexicon is an error naming the file, for the loader and for kb:check', () => {
    const dir = fixtureDir({ 'lexicon.yaml': { text: realLexicon.replace(/^  ogos: 8$/m, '  ogos: 13') } }, REAL_KB);
    expect(() => loadKnowledgeLexicon(dir)).toThrow(KnowledgeError);
    expect(() => loadKnowledgeLexicon(dir)).toThrow(/lexicon\.yaml.*months\.ogos must be 1\.\.12/);
    expect(lintKnowledge(dir).filter((f) => f.level === 'error').map((f) => f.code)).toEqual(['lexicon']);
  });

  test('is the one the bot analyses every turn with (runtime → recognizer → SupportBot)', async () => {
    const chat = await createTestChat({ features: () => [], env: { KNOWLEDGE_DIR: withPhrase() } });
    try {
      expect(chat.runtime.recognizer.lexicon.languageSwitch.en.has('cakap omputih')).toBe(true);
      const said = await chat.say('cakap omputih');
      expect(joined(said)).toBe(chat.runtime.catalog.t('en', 'lang.switched'));
    } finally {
      await chat.close();
    }
  });
});
