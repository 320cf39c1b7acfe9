/**
 * Issue 10, item 5: the unanswered-question log, sent outbox mail and old migration tokens are deleted after
 * RETENTION_DAYS; younger rows and mail still waiting to be sent are kept. On SQLite and PostgreSQL.
 */
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging';
import { createRetentionFeature } from '../../src/features/retention';
import type { FeatureDeps } from '../../src/features/types';
import { engines, openTestDatabase, type TestDatabase } from '../helpers/databases';

const DAY = 86_400_000;
const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();

describe.each(engines())('retention purge on %s', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  async function seed(): Promise<void> {
    const db = t.database.db as any;
    for (const [text, days] of [['old question', 40], ['recent question', 5]] as const) {
      await db
        .insertInto('unanswered')
        .values({ text, lang: 'en', decision: 'fallback', top_entry: null, top_score: null, channel: 'test', created_at: iso(days) })
        .execute();
    }
    const mail = (key: string, status: string, sentDaysAgo: number | null, createdDaysAgo: number) => ({
      dedupe_key: key,
      kind: 'test',
      lang: 'en',
      from_addr: 'bot@example.test',
      to_addr: 'customer@example.test',
      subject: key,
      text_body: 'body',
      html_body: null,
      status,
      attempts: status === 'sent' ? 1 : 0,
      next_attempt_at: iso(createdDaysAgo),
      claimed_at: null,
      last_error: null,
      created_at: iso(createdDaysAgo),
      sent_at: sentDaysAgo === null ? null : iso(sentDaysAgo),
    });
    await db
      .insertInto('mail_outbox')
      .values([mail('sent-old', 'sent', 45, 45), mail('sent-new', 'sent', 2, 2), mail('pending-old', 'pending', null, 45), mail('failed-old', 'failed', null, 45)])
      .execute();
    const token = (hash: string, expiredDaysAgo: number) => ({
      token_hash: hash,
      account_id: 'acc-1',
      lang: 'ms',
      created_at: iso(expiredDaysAgo + 1),
      expires_at: iso(expiredDaysAgo),
      used_at: null,
    });
    await db.insertInto('migration_tokens').values([token('a'.repeat(64), 50), token('b'.repeat(64), 1)]).execute();
  }

  test('rows older than RETENTION_DAYS go; younger rows and unsent mail stay; a second round removes nothing', async () => {
    await seed();
    const config = loadConfig({ RETENTION_DAYS: '30', DATA_DIR: '/tmp/unused' }, path.join(__dirname, '../..'));
    const log = createLogger({ level: 'silent', format: 'json' });
    const feature = createRetentionFeature({ config, log, db: t.database.db } as unknown as FeatureDeps);
    expect(await feature.runOnce()).toEqual({ unanswered: 1, sentMail: 1, migrationTokens: 1 });
    const db = t.database.db as any;
    expect((await db.selectFrom('unanswered').select('text').execute()).map((r: any) => r.text)).toEqual(['recent question']);
    const keys = (await db.selectFrom('mail_outbox').select('dedupe_key').execute()).map((r: any) => r.dedupe_key).sort();
    expect(keys).toEqual(['failed-old', 'pending-old', 'sent-new']);
    const tokens = (await db.selectFrom('migration_tokens').select('token_hash').execute()).map((r: any) => r.token_hash);
    expect(tokens).toEqual(['b'.repeat(64)]);
    expect(await feature.runOnce()).toEqual({ unanswered: 0, sentMail: 0, migrationTokens: 0 });
  });

  test('started with the server: the first round runs at once; a failing database is reported, not thrown', async () => {
    await seed();
    const config = loadConfig({ RETENTION_DAYS: '1', DATA_DIR: '/tmp/unused' }, path.join(__dirname, '../..'));
    const lines: string[] = [];
    const log = createLogger({ level: 'info', format: 'json', destination: { write: (s: string) => void lines.push(s) } });
    const feature = createRetentionFeature({ config, log, db: t.database.db } as unknown as FeatureDeps, { everyMs: 60_000 });
    feature.start!();
    await feature.stop!();
    const db = t.database.db as any;
    expect(await db.selectFrom('unanswered').selectAll().execute()).toHaveLength(0);
    expect(lines.some((l) => /old personal data purged/.test(l))).toBe(true);
    // the database gone: every purge fails on its own, the round still resolves
    const other = await t.reopen();
    await other.close();
    const broken = createRetentionFeature({ config, log, db: other.db } as unknown as FeatureDeps);
    expect(await broken.runOnce()).toEqual({ unanswered: -1, sentMail: -1, migrationTokens: -1 });
    expect(lines.some((l) => /retention purge failed/.test(l))).toBe(true);
  });
});
