/**
 * CONTRIBUTING.md, "Adding an FAQ entry", step by step on a copy of knowledge/: an entry appended to a pack file
 * as the document describes passes kb:check (the same main() as `npm run kb:check`), and the bot started on that
 * copy (KNOWLEDGE_DIR) answers it when asked in other words, in Malay and in English — which the bot on the
 * original knowledge does not.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main as kbCheck } from '../../src/cli/kb-check';
import { type TestChat, createTestChat, joined } from '../helpers/bot';

const KNOWLEDGE = path.join(__dirname, '..', '..', 'knowledge');

/** Step 2: the entry, appended under `entries:` of knowledge/packs/ebiz.yaml as a contributor would type it. */
const ENTRY = `
  - id: ebiz.text-size
    label: { ms: "Saiz tulisan", en: "Text size" }
    question:
      ms: Bagaimana cara membesarkan saiz tulisan di portal eBiz?
      en: How do I make the text bigger on the eBiz portal?
    paraphrases:
      ms:
        - tulisan portal terlalu kecil
        - nak besarkan font portal ebiz
        - saiz huruf kecil sangat macam mana nak ubah
        - cara zum halaman ebiz
        - tulisan kecil susah nak baca
        - ubah saiz font di portal
      en:
        - the text on the portal is too small
        - how to zoom the ebiz page
        - make the font larger
        - letters are too small to read
        - change the font size on the portal
        - increase text size on ebiz
    answer:
      ms: Gunakan zum pelayar anda (Ctrl dan + pada komputer, atau cubit skrin telefon). Portal eBiz mengikut saiz tulisan pelayar.
      en: Use your browser's zoom (Ctrl and + on a computer, or pinch the screen of a phone). The eBiz portal follows the browser's text size.
`;

const ASKED = {
  ms: 'tulisan dalam portal ebiz kecil sangat, macam mana nak besarkan',
  en: 'the font on the ebiz portal is too small, how do i enlarge it',
};
const ANSWER = { ms: 'Gunakan zum pelayar anda', en: "Use your browser's zoom" };

describe('CONTRIBUTING.md: adding an FAQ entry', () => {
  let dir: string;
  let log: jest.SpyInstance;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrib-faq-'));
    fs.cpSync(KNOWLEDGE, dir, { recursive: true });
    const pack = path.join(dir, 'packs', 'ebiz.yaml');
    // the pack's entries list is the last thing in the file: an entry appended at the end joins it
    fs.writeFileSync(pack, `${fs.readFileSync(pack, 'utf8').trimEnd()}\n${ENTRY}`);
  });

  beforeEach(() => {
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => log.mockRestore());

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('step 3: npm run kb:check reports no error', () => {
    expect(kbCheck(['node', 'kb-check', dir])).toBe(0);
    const summary = log.mock.calls.map((c) => String(c[0])).find((l) => l.startsWith('kb:check'));
    expect(summary).toMatch(/: 0 error\(s\)/);
    expect(log.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('ebiz.text-size') && /error/i.test(l))).toEqual([]);
  });

  it('kb:check refuses the entry when a step is skipped (too few paraphrases)', () => {
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'contrib-faq-broken-'));
    try {
      fs.cpSync(dir, broken, { recursive: true });
      const pack = path.join(broken, 'packs', 'ebiz.yaml');
      fs.writeFileSync(pack, fs.readFileSync(pack, 'utf8').replace('        - increase text size on ebiz\n', ''));
      expect(kbCheck(['node', 'kb-check', broken])).toBe(1);
      expect(log.mock.calls.map((c) => String(c[0])).some((l) => l.includes('ebiz.text-size') && l.includes('too-few-paraphrases'))).toBe(true);
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });

  describe('step 4: the bot answers it in both languages', () => {
    let withEntry: TestChat;
    let without: TestChat;

    beforeAll(async () => {
      withEntry = await createTestChat({ env: { KNOWLEDGE_DIR: dir } });
      without = await createTestChat({ env: { KNOWLEDGE_DIR: KNOWLEDGE } });
    }, 60_000);

    afterAll(async () => {
      await withEntry.close();
      await without.close();
    });

    for (const lang of ['ms', 'en'] as const) {
      it(`${lang}: answered from the new entry, in that language`, async () => {
        const said = joined(await withEntry.say(ASKED[lang]));
        expect(said).toContain(ANSWER[lang]);
        // not the other language's answer
        expect(said).not.toContain(ANSWER[lang === 'ms' ? 'en' : 'ms']);
      });

      it(`${lang}: the original knowledge has no such answer`, async () => {
        expect(joined(await without.say(ASKED[lang]))).not.toContain(ANSWER[lang]);
      });
    }
  });
});
