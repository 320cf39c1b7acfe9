/**
 * Issue 13, item 8 (the migration form): the process killed with SIGKILL during migration submits, aimed at
 * the moment between a migration's commit and its answer. The compiled server (dist/src/index.js, built by
 * `npm test`) runs on SQLite; ten customers submit their forms at once; the test watches the database from
 * outside and kills the server as soon as a migration is committed whose customer has had no answer yet
 * (several rounds, a restart in between). Afterwards:
 * - every migration is all or nothing (the account changed exactly when its link was burned);
 * - every customer whose answer was cut off resubmits the same form (same nonce, same cookie) to the
 *   restarted server and is told the migration succeeded — never "link already used" — whether their
 *   migration had been committed before the kill or only now;
 * - anyone else using a burned link gets the honest "already used" page;
 * - the database passes its integrity check.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import Sqlite from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db';
import { type BotProcess, sayOverHttp, startBotProcess } from '../helpers/spawned';
import { MigrationTokens } from '../../src/services/migrationTokens';

/**
 * The watcher (run with node -e): polls the database read-only without pausing and SIGKILLs the server as soon as
 * one of the given links is burned (or at the deadline); prints "ready", then the burned links it saw (JSON).
 */
const WATCHER = `
const Sqlite = require(${JSON.stringify(require.resolve('better-sqlite3'))});
const [file, pid, ms, ...hashes] = process.argv.slice(1);
const db = new Sqlite(file, { readonly: true, fileMustExist: true });
const used = db.prepare('select token_hash from migration_tokens where used_at is not null');
const mine = new Set(hashes);
const end = Date.now() + Number(ms);
process.stdout.write('ready');
for (;;) {
  const burned = used.all().map((r) => r.token_hash).filter((h) => mine.has(h));
  if (burned.length > 0 || Date.now() > end) {
    try { process.kill(Number(pid), 'SIGKILL'); } catch {}
    process.stdout.write(JSON.stringify(burned));
    break;
  }
}
`;

/** The bot on the test's data folder, restarted on the same folder after each kill. */
const startServer = (dataDir: string): Promise<BotProcess> =>
  startBotProcess(dataDir, { OUTBOX_POLL_MS: '600000' });

/** A name the form accepts (letters only), distinct per account. */
const newName = (account: string) => `New Name ${account.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!).replace(/-/g, ' ')}`;

interface Form {
  account: string;
  token: string;
  tokenHash: string;
  cookie: string;
  body: string;
}

async function openForm(url: string, account: string, token: string, tokenHash: string): Promise<Form> {
  const res = await fetch(`${url}/migrate/${token}?lang=en`);
  const html = await res.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const nonce = /name="_nonce" value="([^"]+)"/.exec(html)?.[1];
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  if (res.status !== 200 || !csrf || !cookie) throw new Error(`form not served: ${res.status}`);
  const body = new URLSearchParams({
    _csrf: csrf,
    ...(nonce ? { _nonce: nonce } : {}),
    lang: 'en',
    name: newName(account),
    phone: '012-345 6789',
    email: `new-${account}@example.com`,
    password: 'kata laluan 2024',
    password_confirm: 'kata laluan 2024',
  }).toString();
  return { account, token, tokenHash, cookie, body };
}

const post = (url: string, f: Form, cookie = f.cookie) =>
  fetch(`${url}/migrate/${f.token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: f.body,
  });

test('SIGKILL between a migration commit and its answer: the resubmit says it succeeded, everything is all or nothing', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-kill-mig-'));
  const file = path.join(dataDir, 'bot.sqlite');
  const acknowledged = new Set<string>();
  const forms: Form[] = [];
  /** Committed before the kill while their customer had no answer: the case the issue is about. */
  const committedUnanswered = new Set<string>();
  // more submits in flight keep the server busy when the first commits, so its answer is more often still owed;
  // rounds repeat until one commit is caught with its answer cut off (CI, loaded, once caught none in five rounds
  // of eight: its answers outran the watcher), bounded by MAX_ROUNDS and the test's timeout
  const PER_ROUND = 12;
  const MAX_ROUNDS = 10;
  try {
    for (let round = 0; round < MAX_ROUNDS && committedUnanswered.size === 0; round++) {
      const server = await startServer(dataDir);
      const database = await openDatabase({ kind: 'sqlite', file });
      const roundForms: Form[] = [];
      try {
        const db = database.db as any;
        const tokens = new MigrationTokens(database.db, { ttlMinutes: 30 });
        const at = new Date().toISOString();
        for (let i = 0; i < PER_ROUND; i++) {
          const id = `kill-${round}-${i}`;
          const email = `${id}@example.com`;
          await db
            .insertInto('legacy_accounts')
            .values({ id, mykad: `8501011${round}${String(i).padStart(4, '0')}`, passport: null, email, email_lc: email, name: `Customer ${id}`, phone: '+60123456789', migrated_at: null, password_hash: null, created_at: at, updated_at: at })
            .execute();
          const t = await tokens.issue(id, 'en');
          roundForms.push(await openForm(server.url, id, t.token, t.tokenHash));
        }
      } finally {
        await database.close();
      }
      forms.push(...roundForms);

      const answered = new Set<string>();
      const statuses: number[] = [];
      // watch the database from outside, in a process of its own that does nothing else (a watcher in this
      // process, busy with the submits' responses, saw the commits too late on a loaded machine: CI caught none in
      // five rounds): it kills the server the moment one of this round's migrations is committed
      const watcher = spawn(process.execPath, ['-e', WATCHER, file, String(server.child.pid), '8000', ...roundForms.map((f) => f.tokenHash)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let watched = '';
      watcher.stdout!.on('data', (chunk) => (watched += String(chunk)));
      await new Promise<void>((resolve) => {
        const ready = () => (watched.startsWith('ready') ? resolve() : setTimeout(ready, 5));
        ready();
      });
      const submits = roundForms.map(async (f) => {
        try {
          const res = await post(server.url, f);
          const text = await res.text();
          statuses.push(res.status);
          answered.add(f.tokenHash);
          if (res.status === 200 && text.includes('Your account has been migrated')) acknowledged.add(f.account);
        } catch {
          /* cut off by the kill */
        }
      });
      await new Promise((resolve) => watcher.once('close', resolve));
      const killedOn = JSON.parse(watched.slice('ready'.length) || '[]') as string[];
      await Promise.all(submits);
      await server.exited;
      // an answer that still arrived after the kill decision was no cut-off
      for (const h of killedOn) if (!answered.has(h)) committedUnanswered.add(h);
      // all or nothing: each account changed exactly when its link was burned, with every field written
      const check = new Sqlite(file, { readonly: true });
      for (const f of roundForms) {
        const a = check.prepare('select * from legacy_accounts where id = ?').get(f.account) as Record<string, unknown>;
        const t = check.prepare('select * from migration_tokens where token_hash = ?').get(f.tokenHash) as Record<string, unknown>;
        const migrated = a.migrated_at !== null;
        expect({ account: f.account, migrated, tokenUsed: t.used_at !== null }).toEqual({ account: f.account, migrated, tokenUsed: migrated });
        if (migrated) expect(a).toMatchObject({ name: newName(f.account), email: `new-${f.account}@example.com` });
        else expect(a).toMatchObject({ name: `Customer ${f.account}`, email: `${f.account}@example.com`, password_hash: null });
        if (acknowledged.has(f.account)) expect({ account: f.account, migrated }).toEqual({ account: f.account, migrated: true });
      }
      check.close();
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
    }
    const cutOff = forms.filter((f) => !acknowledged.has(f.account));
    // eslint-disable-next-line no-console
    console.log(`sigkill migration: ${acknowledged.size} of ${forms.length} answered; ${committedUnanswered.size} committed with the answer cut off`);
    expect(committedUnanswered.size).toBeGreaterThan(0);
    expect(cutOff.length).toBeGreaterThan(0);

    // restart: every customer cut off posts the same form again and is told the migration succeeded
    const server = await startServer(dataDir);
    try {
      for (const f of cutOff) {
        const again = await post(server.url, f);
        const text = await again.text();
        expect({ account: f.account, status: again.status, success: text.includes('Your account has been migrated') }).toEqual({ account: f.account, status: 200, success: true });
        expect(text).not.toContain('already been used');
      }
      // anyone else with one of those links (no cookie: another browser) is told honestly it was used
      for (const f of cutOff.slice(0, 3)) {
        const stranger = await post(server.url, f, '');
        expect(stranger.status).toBe(410);
        expect(await stranger.text()).toContain('this one has been used to migrate the account');
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }

    const database = await openDatabase({ kind: 'sqlite', file });
    try {
      const db = database.db as any;
      const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(database.db);
      expect(integrity.rows[0]?.integrity_check).toBe('ok');
      for (const { account, tokenHash } of forms) {
        const a = await db.selectFrom('legacy_accounts').selectAll().where('id', '=', account).executeTakeFirstOrThrow();
        const t = await db.selectFrom('migration_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirstOrThrow();
        // every customer has now been told of success: each account migrated, with every field, once
        expect({ account, migrated: a.migrated_at !== null, tokenUsed: t.used_at !== null, completion: !!t.completion_hash }).toEqual({ account, migrated: true, tokenUsed: true, completion: true });
        expect(a).toMatchObject({ name: newName(account), email: `new-${account}@example.com` });
        expect(a.password_hash).toMatch(/^scrypt\$/);
      }
    } finally {
      await database.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 240_000);
