/**
 * npm run eval:bot reads what a first turn did from its outcome events: each kind of event as the strict measure's
 * prediction (src/cli/eval-bot.ts firstTurnPrediction).
 */
import path from 'node:path';
import { HANDOFF_ENTRY, firstTurnPrediction, routesOf } from '../../src/cli/eval-bot';
import { isRight } from '../../src/cli/eval';
import { loadKnowledge } from '../../src/knowledge';

const kb = loadKnowledge(path.join(__dirname, '../../knowledge'));
const routes = routesOf(kb.entries);

test('an answer is its entry; a clarification is not an answer; nothing done is a decline', () => {
  expect(firstTurnPrediction([{ outcome: 'answered', entryId: 'ebiz.upgrade-account' }], routes)).toMatchObject({ label: 'ebiz.upgrade-account', decision: 'answer' });
  expect(firstTurnPrediction([{ outcome: 'clarified', entryId: 'ebiz.upgrade-account' }], routes)).toMatchObject({ decision: 'clarify' });
  expect(firstTurnPrediction([], routes)).toMatchObject({ decision: 'fallback' });
  expect(firstTurnPrediction([{ outcome: 'other' }], routes)).toMatchObject({ decision: 'fallback' });
  // the first deciding event counts (an answer, then its procedure started after it)
  expect(firstTurnPrediction([{ outcome: 'answered', entryId: 'ebiz.login-old-user-id' }, { outcome: 'procedure_started', procedure: 'migration', entryId: 'ebiz.login-old-user-id' }], routes).label).toBe('ebiz.login-old-user-id');
});

test('a procedure started is the entry that runs it, unless started as the response of an entry of its own', () => {
  // started without an entry: the entry that runs it instead of an answer
  expect(firstTurnPrediction([{ outcome: 'procedure_started', procedure: 'ticket' }], routes).label).toBe('core.contact-customer-service');
  expect(firstTurnPrediction([{ outcome: 'procedure_started', procedure: 'eligibility' }], routes).label).toBe('planswitch.check-eligibility');
  // the check of a line offered by a rules FAQ that has an answer: the check, not the rules
  const offering = kb.entries.find((e) => e.procedure?.dialog === 'eligibility' && e.procedure.mode === 'offer' && e.answer)!;
  expect(firstTurnPrediction([{ outcome: 'procedure_started', procedure: 'eligibility', entryId: offering.id }], routes).label).toBe('planswitch.check-eligibility');
  // a ticket about an entry the source asks without answering: that entry's response
  const unanswered = kb.entries.find((e) => e.procedure?.dialog === 'ticket' && !e.answer)!;
  expect(firstTurnPrediction([{ outcome: 'procedure_started', procedure: 'ticket', entryId: unanswered.id }], routes).label).toBe(unanswered.id);
});

test('a request for a person queued is the customer-service entry; a declined entry is an answer only when responded to', () => {
  expect(firstTurnPrediction([{ outcome: 'handed_off' }], routes)).toMatchObject({ label: HANDOFF_ENTRY, decision: 'answer' });
  expect(kb.byId.has(HANDOFF_ENTRY)).toBe(true);
  const declined = firstTurnPrediction([{ outcome: 'declined', entryId: 'ebiz.remit' }], routes);
  expect(isRight({ text: 'x', lang: 'en', label: 'out_of_scope' }, declined)).toBe(true);
  const responded = firstTurnPrediction([{ outcome: 'declined', entryId: 'ebiz.remit' }], routes, [{ procedure: 'faq', entryId: 'ebiz.remit' }]);
  expect(isRight({ text: 'x', lang: 'en', label: 'ebiz.remit' }, responded)).toBe(true);
});
