/**
 * The knowledge loop (issue 19, item 4) on two server instances sharing one database (SQLite file; PostgreSQL
 * with TEST_DATABASE_URL): a question the bot declines is added through the console endpoint of instance A as
 * a paraphrase of an entry, and instance B answers it with that entry within seconds, without a restart; the
 * change is validated like kb:check (a duplicate of another entry's example is refused), audited, and reverting
 * it takes the answer away again on both. The export writes it into the YAML files and kb:check passes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type RunningBot, activity, post, startBot, texts } from '../helpers/app';
import { engines, pgUrl } from '../helpers/databases';
import { exportOverlay } from '../../src/cli/kb-export';
import { lintKnowledge } from '../../src/knowledge/lint';
import { loadKnowledge } from '../../src/knowledge/loader';
import { type KnowledgeChange, applyParaphrasesInMemory, loadWithOverlay } from '../../src/knowledge/overlay';

const ADMIN = 'admin-token-0123456789abcdef';
// a question the bot declines until a knowledge author adds it (the whole-message model answers plainer ones)
const QUESTION = 'bump my profile to the top tier';
const ENTRY = 'ebiz.upgrade-account';

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  for (;;) {
    const value = await fn();
    if (ok(value) || Date.now() - start > ms) return { value, ms: Date.now() - start };
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(engines())('knowledge overlay on two instances (%s)', (engine) => {
  const bots: RunningBot[] = [];
  let dataDir: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-kloop-'));
    const env: Record<string, string> = { ADMIN_TOKEN: ADMIN, KNOWLEDGE_POLL_MS: '300' };
    if (engine === 'postgres') {
      const schema = `${process.env.TEST_SCHEMA_PREFIX ?? 't_'}${randomBytes(6).toString('hex')}`;
      const client = new Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`create schema "${schema}"`);
      await client.end();
      env.DATABASE_URL = `${pgUrl}${pgUrl!.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    }
    bots.push(await startBot(env, path.join(dataDir, 'a')));
    bots.push(await startBot(env, engine === 'sqlite' ? path.join(dataDir, 'a') : path.join(dataDir, 'b')));
  }, 60_000);
  afterAll(async () => {
    for (const b of bots) await b.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const api = (bot: RunningBot, p: string, body?: unknown, token = ADMIN) =>
    fetch(`${bot.url}${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  /** The entry B answers with (from the turn log's outcome), or the decision. */
  const ask = async (bot: RunningBot, conv: string) => {
    const res = await post(bot.url, activity(QUESTION, { conversation: { id: `${conv}-${randomBytes(3).toString('hex')}` } }));
    return (res.body.activities as Array<{ text: string }>)[0]!.text;
  };
  const upgradeAnswer = () => bots[0]!.app.runtime.knowledge.byId.get(ENTRY)!.answer!.en;

  test('declined first; added on A; B answers it within seconds; reverted; B declines again', async () => {
    const [a, b] = bots as [RunningBot, RunningBot];
    expect(await ask(b, 'before')).not.toBe(upgradeAnswer());

    expect((await api(a, '/console/knowledge/paraphrases', { entryId: ENTRY, lang: 'en', text: QUESTION }, 'wrong-token-0123456789')).status).toBe(401);
    const added = await api(a, '/console/knowledge/paraphrases', { entryId: ENTRY, lang: 'en', text: QUESTION });
    expect(added.status).toBe(201);
    const change = ((await added.json()) as { change: KnowledgeChange }).change;
    expect(change).toMatchObject({ kind: 'paraphrase', entryId: ENTRY, author: 'admin-token', status: 'active' });

    const onB = await until(() => ask(b, 'after'), (t) => t === upgradeAnswer());
    expect(onB.value).toBe(upgradeAnswer());
    expect(onB.ms).toBeLessThan(5000);

    const log = (await (await api(b, '/console/knowledge/changes')).json()) as { changes: KnowledgeChange[] };
    expect(log.changes[0]).toMatchObject({ id: change.id, entryId: ENTRY, text: QUESTION });

    expect((await api(a, `/console/knowledge/changes/${change.id}/revert`, {})).status).toBe(200);
    const reverted = await until(() => ask(b, 'reverted'), (t) => t !== upgradeAnswer());
    expect(reverted.value).not.toBe(upgradeAnswer());
    const audit = (await (await api(a, '/console/knowledge/changes')).json()) as { changes: KnowledgeChange[] };
    expect(audit.changes.find((c) => c.id === change.id)).toMatchObject({ status: 'reverted', revertedBy: 'admin-token' });
  }, 40_000);

  test('a new entry drafted on A is answered by B', async () => {
    const [a, b] = bots as [RunningBot, RunningBot];
    const entry = {
      id: 'ebiz.counter-printer',
      label: { ms: 'Pencetak resit', en: 'Receipt printer' },
      question: { ms: 'Bagaimana menyambung pencetak resit ke kaunter eBiz?', en: 'How do I connect a receipt printer to the eBiz counter?' },
      paraphrases: {
        ms: ['sambung pencetak resit', 'pencetak resit tidak berfungsi di kaunter', 'cara pasang printer resit', 'printer resit kaunter macam mana', 'nak guna pencetak resit sendiri', 'tetapan pencetak resit kaunter'],
        en: ['connect receipt printer', 'receipt printer not working at the counter', 'how to install a receipt printer', 'counter receipt printer setup', 'use my own receipt printer', 'receipt printer settings for the counter'],
      },
      answer: { ms: 'Sambungkan pencetak melalui USB dan pilihnya dalam tetapan pelayar.', en: 'Connect the printer by USB and choose it in the browser settings.' },
    };
    const res = await api(a, '/console/knowledge/entries', { entry });
    expect(res.status).toBe(201);
    const said = await until(
      async () => texts(await post(b.url, activity('my receipt printer at the counter is not working', { conversation: { id: `printer-${randomBytes(3).toString('hex')}` } })))[0],
      (t) => t === entry.answer.en,
    );
    expect(said.value).toBe(entry.answer.en);
    expect(said.ms).toBeLessThan(5000);
  }, 40_000);

  test('validated like kb:check: an example of another entry, an unknown entry, a bad new entry are refused', async () => {
    const a = bots[0]!;
    const other = a.app.runtime.knowledge.entries.find((e) => e.id !== ENTRY && e.pack === 'ebiz')!;
    const dup = await api(a, '/console/knowledge/paraphrases', { entryId: ENTRY, lang: 'en', text: other.examples.en[1] });
    expect(dup.status).toBe(400);
    expect(((await dup.json()) as { problem: string }).problem).toMatch(/identical/);
    expect((await api(a, '/console/knowledge/paraphrases', { entryId: 'ebiz.nope', lang: 'en', text: 'hello there' })).status).toBe(400);
    const bad = await api(a, '/console/knowledge/entries', { entry: { id: 'ebiz.new-thing', question: { ms: 'a', en: 'b' }, paraphrases: { ms: [], en: [] }, answer: { ms: 'x', en: 'y' } } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problem: string }).problem).toMatch(/paraphrase/);
  }, 40_000);
});

describe('kb:export round-trips through kb:check', () => {
  const repoKnowledge = path.join(__dirname, '../../knowledge');
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-export-test-'));
    fs.cpSync(repoKnowledge, dir, { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const newEntry = {
    id: 'ebiz.printer-setup',
    label: { ms: 'Pencetak resit', en: 'Receipt printer' },
    question: { ms: 'Bagaimana menyambung pencetak resit ke kaunter eBiz?', en: 'How do I connect a receipt printer to the eBiz counter?' },
    paraphrases: {
      ms: ['sambung pencetak resit', 'pencetak resit tidak berfungsi di kaunter', 'cara pasang printer resit', 'printer resit kaunter macam mana', 'nak guna pencetak resit sendiri', 'tetapan pencetak resit kaunter'],
      en: ['connect receipt printer', 'receipt printer not working at the counter', 'how to install a receipt printer', 'counter receipt printer setup', 'use my own receipt printer', 'receipt printer settings for the counter'],
    },
    answer: { ms: 'Sambungkan pencetak melalui USB dan pilih ia dalam tetapan pelayar.', en: 'Connect the printer by USB and choose it in the browser settings.' },
  };
  const changes: KnowledgeChange[] = [
    { id: 1, kind: 'paraphrase', entryId: 'ebiz.upgrade-account', pack: 'ebiz', lang: 'en', text: 'lift my ebiz profile off the basic tier', status: 'active', author: 'a', createdAt: '' },
    { id: 2, kind: 'entry', entryId: newEntry.id, pack: 'ebiz', doc: newEntry, status: 'active', author: 'a', createdAt: '' },
    { id: 3, kind: 'paraphrase', entryId: 'ebiz.upgrade-account', pack: 'ebiz', lang: 'ms', text: 'teks yang dibatalkan', status: 'reverted', author: 'a', createdAt: '' },
  ];

  test('written into the pack file, comments kept, kb:check clean, loaded; a second export changes nothing', () => {
    const before = fs.readFileSync(path.join(dir, 'packs/ebiz.yaml'), 'utf8');
    const result = exportOverlay(dir, changes);
    expect(result.errors).toEqual([]);
    expect(result.files).toEqual(['packs/ebiz.yaml']);
    const after = fs.readFileSync(path.join(dir, 'packs/ebiz.yaml'), 'utf8');
    // only additions: the paraphrase's line and the new entry at the end; every other byte as the author wrote it
    const withoutAdditions = after
      .slice(0, after.indexOf('  - id: ebiz.printer-setup'))
      .split('\n')
      .filter((l) => l !== '        - lift my ebiz profile off the basic tier')
      .join('\n');
    expect(withoutAdditions.trimEnd()).toBe(before.trimEnd());
    expect(lintKnowledge(dir).filter((f) => f.level === 'error')).toEqual([]);
    const kb = loadKnowledge(dir);
    expect(kb.byId.get('ebiz.upgrade-account')!.examples.en).toContain('lift my ebiz profile off the basic tier');
    expect(kb.byId.get('ebiz.upgrade-account')!.examples.ms).not.toContain('teks yang dibatalkan');
    expect(kb.byId.get(newEntry.id)!.answer!.en).toBe(newEntry.answer.en);
    expect(exportOverlay(dir, changes).files).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'packs/ebiz.yaml'), 'utf8')).toBe(after);
  });

  test('an export that would fail kb:check writes nothing', () => {
    const before = fs.readFileSync(path.join(dir, 'packs/ebiz.yaml'), 'utf8');
    const other = loadKnowledge(dir).entries.find((e) => e.pack === 'ebiz' && e.id !== 'ebiz.upgrade-account')!;
    const result = exportOverlay(dir, [{ ...changes[0]!, text: other.examples.en[1]! }]);
    expect(result.errors.join('\n')).toMatch(/duplicate-example/);
    expect(fs.readFileSync(path.join(dir, 'packs/ebiz.yaml'), 'utf8')).toBe(before);
  });
});

test('paraphrases applied in memory give the same knowledge as the YAML path (and leave the base untouched)', () => {
  const dir = path.join(__dirname, '../../knowledge');
  const base = loadKnowledge(dir);
  const before = JSON.stringify(base.entries);
  const changes: KnowledgeChange[] = [
    { id: 1, kind: 'paraphrase', entryId: 'ebiz.upgrade-account', pack: 'ebiz', lang: 'en', text: 'lift my ebiz profile off the basic tier', status: 'active', author: 'a', createdAt: '' },
    { id: 2, kind: 'paraphrase', entryId: 'ebiz.upgrade-account', pack: 'ebiz', lang: 'ms', text: 'naikkan akaun asas saya', status: 'exported', author: 'a', createdAt: '' },
    { id: 3, kind: 'paraphrase', entryId: 'ebiz.upgrade-account', pack: 'ebiz', lang: 'en', text: 'How do I upgrade my user account?', status: 'active', author: 'a', createdAt: '' },
    { id: 4, kind: 'paraphrase', entryId: 'ebiz.upgrade-account', pack: 'ebiz', lang: 'ms', text: 'dibatalkan', status: 'reverted', author: 'a', createdAt: '' },
  ];
  const fast = applyParaphrasesInMemory(base, changes)!;
  const full = loadWithOverlay(dir, changes);
  expect(fast.entries.map((e) => [e.id, e.examples])).toEqual(full.entries.map((e) => [e.id, e.examples]));
  expect(fast.byId.get('ebiz.upgrade-account')!.examples.en).toContain('lift my ebiz profile off the basic tier');
  expect(JSON.stringify(base.entries)).toBe(before);
  expect(applyParaphrasesInMemory(base, [{ ...changes[0]!, kind: 'entry', doc: {} }])).toBeUndefined();
});
