/**
 * The blind-script harness (src/cli/eval-procedures.ts) on scripts whose outcome is known: a passing script
 * passes, and each kind of wrong expectation is reported, so the harness cannot pass a script that failed.
 */
import path from 'node:path';
import { check, parseScripts, runScript } from '../../src/cli/eval-procedures';

const rootDir = path.join(__dirname, '../..');

const scripts = parseScripts(`
- id: en-01
  lang: en
  channel: webchat
  tags: [one-message-slots]
  turns:
    - "prorate RM58 to RM80, switched on 11 April 2026, bill cycle starts on 1 April 2026"
  expect:
    prorata_total: "72.66"
    final_procedure: none
    migration_mail_to: none
    ticket_created: false
    reply_language: en
- id: ms-02
  lang: ms
  channel: webchat
  turns:
    - "nak migrate akaun ebiz lama"
    - "IC saya 900101-10-5431"
  expect:
    final_procedure: migration
    migration_mail_to: none
`);

test('a script whose expectations hold passes; wrong ones are each reported', async () => {
  const run = await runScript(scripts[0]!, { rootDir });
  expect(check(scripts[0]!, run)).toEqual([]);
  const wrong = { ...scripts[0]!, expect: { prorata_total: '72.67', final_procedure: 'prorata', ticket_created: true, reply_language: 'ms' as const } };
  const fails = check(wrong, run);
  expect(fails.map((f) => f.split(':')[0])).toEqual(['prorata_total', 'ticket_created', 'final_procedure', 'reply_language']);
});

test('an open procedure and no mail are read from the runtime', async () => {
  const run = await runScript(scripts[1]!, { rootDir });
  expect(check(scripts[1]!, run)).toEqual([]);
  expect(check({ ...scripts[1]!, expect: { migration_mail_to: 'tan.weiming@example.com.my' } }, run)).toHaveLength(1);
});

test('answered_faq naming an entry that runs a procedure holds when that procedure showed its answer', async () => {
  const [script] = parseScripts(`
- id: en-03
  lang: en
  channel: webchat
  turns:
    - "can you list all my tickets?"
  expect:
    answered_faq: core.my-tickets
`);
  const run = await runScript(script!, { rootDir });
  // no ticket raised in this conversation: nothing listed, so the entry was not answered
  expect(check(script!, run)).toEqual([expect.stringMatching(/^answered_faq/)]);
  const listed = { ...run, outcomes: [...run.outcomes, { procedure: 'myTickets' as const, shown: 1 }] };
  expect(check(script!, listed)).toEqual([]);
  expect(check({ ...script!, expect: { answered_faq: 'core.ticket-status' } }, listed)).toHaveLength(1);
});

test('a person asked for answers the customer-service entry (queued at any hour), and no other entry', async () => {
  const [script] = parseScripts(`
- id: ms-04
  lang: ms
  channel: webchat
  turns:
    - "x nak la bot, sy nak cakap dgn staf sebenar"
  expect:
    answered_faq: core.contact-customer-service
`);
  const run = await runScript(script!, { rootDir });
  // the harness keeps staff on duty whatever the hour: the customer is queued, not offered a ticket
  expect(run.outcomes).toContainEqual({ procedure: 'handoff', status: 'queued' });
  expect(check(script!, run)).toEqual([]);
  expect(check({ ...script!, expect: { answered_faq: 'core.ticket-status' } }, run)).toHaveLength(1);
  const noPerson = { ...run, outcomes: run.outcomes.filter((o) => o.procedure !== 'handoff') };
  expect(check(script!, noPerson)).toEqual([expect.stringMatching(/^answered_faq/)]);
});
