/**
 * The dashboard's aggregates (src/services/insight.ts) on both engines: per day and language, conversations
 * counted once, answered/clarified/declined, top entries, unanswered questions, feedback ratio per entry,
 * tickets by category, procedure funnels; a language filter narrows every figure.
 */
import { InsightLog } from '../../src/services/insight';
import { UnansweredLog } from '../../src/services/unanswered';
import { type TestDatabase, engines, openTestDatabase } from '../helpers/databases';

describe.each(engines())('insight log on %s', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase(engine);
  });
  afterEach(async () => t.dispose());

  test('aggregates per day and language', async () => {
    let now = new Date('2026-03-01T20:00:00Z'); // 2 March in Kuala Lumpur
    const log = new InsightLog(t.database.db, () => now);
    const turn = (lang: string, outcome: string, conv: string, extra: Record<string, string> = {}) => ({ channel: 'webchat', lang, outcome, conversationId: conv, ...extra });
    await log.recordTurns([
      turn('en', 'answered', 'a', { entryId: 'ebiz.x', ref: 'ref-aaaaaaaa', question: 'what is x, call 012-345 6789' }),
      turn('en', 'answered', 'a', { entryId: 'ebiz.x' }),
      turn('en', 'declined', 'b'),
      turn('ms', 'clarified', 'c'),
      turn('ms', 'procedure_started', 'c', { procedure: 'ticket' }),
      turn('ms', 'procedure_completed', 'c', { procedure: 'ticket' }),
      turn('en', 'procedure_started', 'b', { procedure: 'ticket' }),
      turn('en', 'procedure_abandoned', 'b', { procedure: 'ticket' }),
      turn('ms', 'handed_off', 'c'),
    ]);
    now = new Date('2026-03-02T20:00:00Z'); // 3 March
    await log.recordTurns([turn('en', 'answered', 'd', { entryId: 'ebiz.y', ref: 'ref-bbbbbbbb', question: 'y?' })]);
    expect(await log.answer('ref-aaaaaaaa', 'webchat', 'a')).toEqual({ entryId: 'ebiz.x', question: 'what is x, call +6012•••••89', lang: 'en' });
    expect(await log.answer('ref-aaaaaaaa', 'webchat', 'other')).toBeUndefined();
    const vote = (ref: string, entryId: string, v: 'helpful' | 'not_helpful') =>
      log.recordFeedback({ ref, entryId, vote: v, lang: 'en', channel: 'webchat', conversationId: 'a', question: 'q' });
    expect(await vote('ref-aaaaaaaa', 'ebiz.x', 'not_helpful')).toBe(true);
    expect(await vote('ref-aaaaaaaa', 'ebiz.x', 'helpful')).toBe(false);
    expect(await vote('ref-bbbbbbbb', 'ebiz.y', 'helpful')).toBe(true);
    await new UnansweredLog(t.database.db).record({ text: 'zzz', lang: 'en', channel: 'webchat', recognition: { decision: 'fallback', candidates: [], lang: 'en', features: [] } });

    const d = await log.dashboard('2026-03-01', '2026-03-03');
    expect(d.days).toEqual([
      { day: '2026-03-02', lang: 'en', conversations: 2, turns: 5, answered: 2, clarified: 0, declined: 1, handedOff: 0 },
      { day: '2026-03-02', lang: 'ms', conversations: 1, turns: 4, answered: 0, clarified: 1, declined: 0, handedOff: 1 },
      { day: '2026-03-03', lang: 'en', conversations: 1, turns: 1, answered: 1, clarified: 0, declined: 0, handedOff: 0 },
    ]);
    expect(d.topEntries).toEqual([
      { entryId: 'ebiz.x', count: 2 },
      { entryId: 'ebiz.y', count: 1 },
    ]);
    expect(d.feedback).toEqual([
      { entryId: 'ebiz.x', helpful: 0, notHelpful: 1, ratio: 0 },
      { entryId: 'ebiz.y', helpful: 1, notHelpful: 0, ratio: 1 },
    ]);
    expect(d.funnels).toEqual([{ procedure: 'ticket', started: 2, completed: 1, abandoned: 1 }]);
    expect(d.tickets).toEqual([]);
    const ms = await log.dashboard('2026-03-01', '2026-03-03', 'ms');
    expect(ms.days.map((r) => r.lang)).toEqual(['ms']);
    expect(ms.topEntries).toEqual([]);
    expect(ms.funnels).toEqual([{ procedure: 'ticket', started: 1, completed: 1, abandoned: 0 }]);
    expect((await log.notHelpful('2026-01-01T00:00:00Z')).map((n) => n.entryId)).toEqual(['ebiz.x']);
  });
});
