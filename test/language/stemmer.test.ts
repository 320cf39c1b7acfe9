import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { isAffixedRoot, stemMalay } from '../../src/language/stemmer-ms';
import { lexicon } from '../../src/language/lexicon';
import { stemEnglish } from '../../src/language/stem';

const words = parse(fs.readFileSync(path.join(__dirname, 'stemmer-words.yaml'), 'utf8')) as Record<string, string>;

describe('Malay stemmer', () => {
  test('the word list has at least 150 affixed words', () => {
    expect(Object.keys(words).length).toBeGreaterThanOrEqual(150);
  });

  test('accuracy on the word list is at least 95% (measured 97.8%)', () => {
    const wrong = Object.entries(words).filter(([w, root]) => stemMalay(w) !== root.replace(/\s+/g, ''));
    expect(1 - wrong.length / Object.keys(words).length).toBeGreaterThanOrEqual(0.95);
  });

  test('the rules alone (without the known roots) still get at least 85% (measured 91%)', () => {
    const wrong = Object.entries(words).filter(([w, root]) => stemMalay(w, { useRoots: false }) !== root.replace(/\s+/g, ''));
    expect(1 - wrong.length / Object.keys(words).length).toBeGreaterThanOrEqual(0.85);
  });

  test.each([
    ['menukar', 'tukar'],
    ['berapakah', 'berapa'],
    ['pendaftaran', 'daftar'],
    ['permohonan', 'mohon'],
    ['memohon', 'mohon'],
    ['pembelian', 'beli'],
    ['langganan', 'langgan'],
    ['tertunggak', 'tunggak'],
    ['dilupuskan', 'lupus'],
    ['kali-kali', 'kali'],
  ])('%s -> %s', (w, root) => {
    expect(stemMalay(w)).toBe(root);
  });

  // a root the lexicon does not list is found in the general Malay word list, not guessed by the rules ("paklum", "jelask")
  test.each([
    ['memaklumkan', 'maklum'],
    ['jelaskan', 'jelas'],
    ['pengurus', 'urus'],
    ['mengambil', 'ambil'],
  ])('%s -> %s (general word list)', (w, root) => {
    expect(stemMalay(w)).toBe(root);
  });

  // an English word under Malay affixes, as Malaysians mix them: the English word, not the rules' "checkk"
  test.each([
    ['checkkan', 'check'],
    ['upgradekan', 'upgrade'],
    ['settlekan', 'settle'],
    ['dicancel', 'cancel'],
    // a Malay root still wins
    ['pakaikan', 'pakai'],
    ['semakkan', 'semak'],
  ])('%s -> %s (English word list)', (w, root) => {
    expect(stemMalay(w)).toBe(root);
  });

  test('a bare -i or a short root is not read off a root by the general word list ("bangi" stays)', () => {
    expect(stemMalay('bangi')).toBe('bangi');
  });

  test('isAffixedRoot: a known root under prefixes, not a typo that happens to hold one', () => {
    const words = lexicon().malayWords();
    for (const w of ['pengurus', 'dijelaskan', 'menguruskan', 'mengambil']) expect(isAffixedRoot(w, words)).toBe(true);
    for (const w of ['urus', 'kelayakn', 'prabyar', 'pelan', 'x'.repeat(5000)]) expect(isAffixedRoot(w, words)).toBe(false);
  });

  test('roots and short words are left alone', () => {
    for (const w of ['beli', 'nilai', 'pelan', 'kaunter', 'data', 'bil']) expect(stemMalay(w)).toBe(w);
  });

  test('English words are stemmed with Porter', () => {
    expect(stemEnglish('switching')).toBe(stemEnglish('switched'));
  });
});
