/**
 * No lost state: turns of one conversation handled by two bot instances at once (each with its own state
 * objects and database connection, as two processes behind a load balancer) all count, because an eTag
 * conflict re-runs the turn on fresh state; the replies of a re-run turn are sent once.
 */
import { type Activity, ActivityHandler, type BotState, TestAdapter, type TurnContext } from 'botbuilder';
import { SqlStorage } from '../../src/db/storage';
import { OptimisticConversationState } from '../../src/bot/state';
import { KeyedQueue, runTurnSafely } from '../../src/bot/turn';
import { type TestDatabase, engines, openTestDatabase } from '../helpers/databases';

class CountingBot extends ActivityHandler {
  constructor(state: BotState) {
    super();
    const counter = state.createProperty<{ n: number; seen: string[] }>('counter');
    this.onMessage(async (context, next) => {
      const c = await counter.get(context, { n: 0, seen: [] });
      // give the other instance a chance to interleave between read and write
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      c.n += 1;
      c.seen.push(context.activity.text ?? '');
      await context.sendActivity(`count ${c.n}`);
      await next();
    });
  }
}

describe.each(engines())('turns on two instances (%s)', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase(engine);
  });
  afterEach(async () => t.dispose());

  test('concurrent turns of one conversation lose no state and reply once each', async () => {
    const dbB = engine === 'postgres' ? (await t.reopen()).db : t.database.db;
    const instances = [t.database.db, dbB].map((db) => {
      const state = new OptimisticConversationState(new SqlStorage(db));
      const bot = new CountingBot(state);
      let conflicts = 0;
      const replies: string[] = [];
      const adapter = new TestAdapter(async (context: TurnContext) => {
        await runTurnSafely(context, (c) => bot.run(c), { states: [state], maxAttempts: 20, onConflict: () => conflicts++ });
      });
      adapter.onTurnError = async (_c, err) => {
        throw err;
      };
      return { adapter, replies, conflicts: () => conflicts };
    });
    const n = 20;
    await Promise.all(
      Array.from({ length: n }, (_, i) => {
        const inst = instances[i % 2]!;
        const activity: Partial<Activity> = { type: 'message', text: `m${i}`, conversation: { id: 'shared' } as never };
        return inst.adapter.processActivity(activity);
      }),
    );
    const key = 'test/conversations/shared/';
    const stored = (await new SqlStorage(t.database.db).read([key]))[key] as { counter: { n: number; seen: string[] } };
    expect(stored.counter.n).toBe(n);
    expect([...stored.counter.seen].sort()).toEqual(Array.from({ length: n }, (_, i) => `m${i}`).sort());
    // every turn sent exactly one reply, whatever its retries
    const sent = instances.flatMap((i) => i.adapter.activeQueue.map((a) => a.text));
    expect(sent).toHaveLength(n);
    expect(new Set(sent).size).toBe(n);
    expect(instances[0]!.conflicts() + instances[1]!.conflicts()).toBeGreaterThan(0);
  });
});

describe('KeyedQueue', () => {
  test('runs one key in order and different keys concurrently', async () => {
    const q = new KeyedQueue();
    const order: string[] = [];
    const slow = (label: string, ms: number) => () =>
      new Promise<void>((r) =>
        setTimeout(() => {
          order.push(label);
          r();
        }, ms),
      );
    await Promise.all([q.run('a', slow('a1', 30)), q.run('a', slow('a2', 1)), q.run('b', slow('b1', 5))]);
    expect(order).toEqual(['b1', 'a1', 'a2']);
    expect(q.size).toBe(0);
  });

  test('a failed task does not block the next one of its key', async () => {
    const q = new KeyedQueue();
    await expect(q.run('k', async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(q.run('k', async () => 42)).resolves.toBe(42);
  });
});
