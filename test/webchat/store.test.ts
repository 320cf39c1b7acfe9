/**
 * The Direct Line store on every engine (SQLite; PostgreSQL when TEST_DATABASE_URL is set): order and
 * watermarks, appends from two instances at once, one signing key per installation, retention; and the
 * conversation tokens.
 */
import { DirectLineStore, activityId } from '../../src/channels/directline/store';
import { TokenSigner, bearer } from '../../src/channels/directline/tokens';
import { type TestDatabase, engines, openTestDatabase } from '../helpers/databases';

describe.each(engines())('Direct Line store on %s', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('keeps a conversation once and its activities in order, with watermarks', async () => {
    const store = new DirectLineStore(t.database.db);
    expect(await store.createConversation('c1', 'dl_u1')).toBe(true);
    expect(await store.createConversation('c1', 'dl_other')).toBe(false);
    expect(await store.getConversation('c1')).toMatchObject({ id: 'c1', userId: 'dl_u1' });
    expect(await store.getConversation('nope')).toBeUndefined();

    const ids: string[] = [];
    for (const text of ['one', 'two', 'three']) ids.push(await store.append('c1', { type: 'message', text }));
    expect(ids).toEqual([activityId('c1', 1), activityId('c1', 2), activityId('c1', 3)]);
    const all = await store.activitiesAfter('c1', 0);
    expect(all.activities.map((a) => a.text)).toEqual(['one', 'two', 'three']);
    expect(all.activities[0]!.id).toBe('c1|0000001');
    expect(typeof all.activities[0]!.timestamp).toBe('string');
    expect(all.watermark).toBe('3');
    expect(await store.activitiesAfter('c1', 2)).toEqual({ activities: [expect.objectContaining({ text: 'three' })], watermark: '3' });
    expect(await store.activitiesAfter('c1', 3)).toEqual({ activities: [], watermark: '3' });
    const limited = await store.activitiesAfter('c1', 0, 2);
    expect(limited.watermark).toBe('2');
  });

  it('refuses activities for a conversation that does not exist', async () => {
    const store = new DirectLineStore(t.database.db);
    await expect(store.append('ghost', { type: 'message', text: 'x' })).rejects.toThrow();
  });

  it('numbers concurrent appends without gaps or duplicates (PostgreSQL: from two instances)', async () => {
    // SQLite is the single-instance engine: a second handle in this process would block the event loop on
    // the file lock, so there the appends interleave on one handle
    const other = engine === 'postgres' ? await t.reopen() : t.database;
    const a = new DirectLineStore(t.database.db);
    const b = new DirectLineStore(other.db);
    await a.createConversation('c2', 'dl_u');
    const texts = Array.from({ length: 30 }, (_, i) => `m${i}`);
    await Promise.all(texts.map((text, i) => (i % 2 === 0 ? a : b).append('c2', { type: 'message', text })));
    const { activities, watermark } = await b.activitiesAfter('c2', 0);
    expect(watermark).toBe('30');
    expect(activities.map((x) => x.id)).toEqual(texts.map((_, i) => activityId('c2', i + 1)));
    expect(new Set(activities.map((x) => x.text))).toEqual(new Set(texts));
  });

  it('has one signing key per installation, shared by every instance', async () => {
    const other = await t.reopen();
    const [k1, k2] = await Promise.all([new DirectLineStore(t.database.db).signingKey(), new DirectLineStore(other.db).signingKey()]);
    expect(k1.length).toBe(32);
    expect(k1.equals(k2)).toBe(true);
    const token = new TokenSigner(k1).sign({ conv: 'c', user: 'u' });
    expect(new TokenSigner(k2).verify(token)).toMatchObject({ conv: 'c', user: 'u' });
  });
});

describe('conversation tokens', () => {
  const key = Buffer.alloc(32, 7);

  it('round-trips, names the user for Web Chat, and expires', () => {
    let now = 1_700_000_000_000;
    const signer = new TokenSigner(key, () => now);
    const token = signer.sign({ conv: 'c1', user: 'dl_abc' }, 60);
    // Web Chat reads the user id from the token's second part, as with Azure's tokens
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).user).toBe('dl_abc');
    expect(signer.verify(token)).toEqual({ conv: 'c1', user: 'dl_abc', exp: now / 1000 + 60, start: now / 1000 });
    now += 61_000;
    expect(signer.verify(token)).toBeUndefined();
  });

  it('rejects tampered, foreign and malformed tokens', () => {
    const signer = new TokenSigner(key);
    const token = signer.sign({ conv: 'c1', user: 'u' });
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, conv: 'c2' })).toString('base64url')}.${s}`;
    expect(signer.verify(tampered)).toBeUndefined();
    expect(new TokenSigner(Buffer.alloc(32, 8)).verify(token)).toBeUndefined();
    for (const bad of [undefined, '', 'a.b', 'a.b.c', `${h}.${p}`, `${h}.!!!.${s}`, token + 'x', 'x'.repeat(5000)]) {
      expect(signer.verify(bad)).toBeUndefined();
    }
    const noAlg = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    expect(signer.verify(noAlg)).toBeUndefined();
  });

  it('reads a bearer header', () => {
    expect(bearer('Bearer abc.def')).toBe('abc.def');
    expect(bearer('bearer abc')).toBe('abc');
    expect(bearer('Basic abc')).toBeUndefined();
    expect(bearer(undefined)).toBeUndefined();
  });
});
