/**
 * Issue 10, item 5: personal data never reaches the logs in clear. The real server runs with JSON logs at
 * the most verbose level; conversations go through several procedures with MyKad numbers, e-mails and phone
 * numbers (a ticket in each language, the eBiz migration, the plan-switch eligibility check with its SMS
 * code, unanswered questions, a too-long message), then every log line is scanned for the values given and
 * for anything shaped like a MyKad number, an e-mail address or a Malaysian mobile number. Stored ticket
 * descriptions and transcript excerpts and the unanswered-question log are masked too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type App, createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging';
import { activity, post, texts } from '../helpers/app';

const MYKADS = ['880101-14-5566', '850312-14-5672', '900101105431'];
const EMAILS = ['ali.baba@example.com', 'aminah.abdullah@example.com', 'siti.nur@contoh.com.my'];
const PHONES = ['012-345 6789', '+60 19-876 5432', '0121000005', '60123456789'];

/** The forms a value may take once normalised by the program (digits only, +60…, lower case). */
function variants(value: string): string[] {
  const digits = value.replace(/\D/g, '');
  const out = new Set([value, value.toLowerCase()]);
  if (digits.length >= 9) {
    out.add(digits);
    if (digits.startsWith('0')) out.add(`+6${digits}`).add(`6${digits}`);
    if (digits.startsWith('60')) out.add(`+${digits}`).add(digits.slice(1));
  }
  return [...out];
}

const SHAPES: Array<[string, RegExp]> = [
  ['MyKad', /(?<![\d])\d{6}-?\d{2}-?\d{4}(?!\d)/],
  ['e-mail', /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+/],
  ['phone', /(?<![\d])(\+?6?01\d)[- ]?\d{3,4}[- ]?\d{4}(?!\d)/],
];

describe('no personal data in the logs of an end-to-end run', () => {
  let app: App;
  let url: string;
  let dataDir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-pii-'));
    const config = loadConfig(
      { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'trace', SUPPORT_EMAIL: 'support@example.com', OUTBOX_POLL_MS: '100', MAX_MESSAGE_CHARS: '300' },
      path.join(__dirname, '../..'),
    );
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    app = await createApp(config, { log: createLogger({ level: 'trace', format: 'json', destination }) });
    const address = await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const say = async (conv: string, text: string, locale = 'en-US') => texts(await post(url, activity(text, { conversation: { id: conv }, from: { id: `${conv}-user`, name: 'Ali Baba ali.baba@example.com' }, locale }))).join('\n');

  test('conversations through the procedures, then a scan of every log line', async () => {
    // a ticket in English, with a MyKad number in the description
    await say('pii-t-en', 'can I talk to customer service');
    await say('pii-t-en', 'Bills and charges');
    await say('pii-t-en', `My IC is ${MYKADS[0]} and I was charged twice, call me on ${PHONES[1]}`);
    await say('pii-t-en', 'Ali bin Abu');
    await say('pii-t-en', `${EMAILS[0]} ${PHONES[0]}`);
    await say('pii-t-en', 'yes');
    expect(await say('pii-t-en', 'Submit')).toMatch(/Your reference is/);
    // a ticket in Malay
    await say('pii-t-ms', 'nak buat aduan', 'ms-MY');
    await say('pii-t-ms', 'Tukar pelan Digi', 'ms-MY');
    await say('pii-t-ms', `Saya tak dapat tukar pelan, emel saya ${EMAILS[2]} no ic ${MYKADS[2]}`, 'ms-MY');
    await say('pii-t-ms', 'Siti Nur', 'ms-MY');
    await say('pii-t-ms', `${EMAILS[2]} ${PHONES[1]}`, 'ms-MY');
    await say('pii-t-ms', 'ya', 'ms-MY');
    expect(await say('pii-t-ms', 'Hantar', 'ms-MY')).toMatch(/rujukan/i);
    // the eBiz login migration with a MyKad number, then the e-mail it was sent to
    await say('pii-mig', 'migrate my old account');
    await say('pii-mig', 'Start account migration');
    await say('pii-mig', `my IC is ${MYKADS[1]}`);
    await say('pii-mig', 'yes');
    await say('pii-mig2', `migrasi akaun lama ke ebiz v2.0 emel ${EMAILS[1]}`, 'ms-MY');
    // the plan-switch eligibility check with its one-time code
    await say('pii-elig', "Check my line's eligibility");
    await say('pii-elig', 'Postpaid to Prepaid');
    await say('pii-elig', 'Demo Prepaid 30');
    await say('pii-elig', PHONES[2]!);
    const smsDir = path.join(dataDir, 'outbox', 'sms');
    // the SMS outbox delivers the code just after the reply
    const smsFiles = () => (fs.existsSync(smsDir) ? fs.readdirSync(smsDir).filter((f) => f.endsWith('.json')) : []);
    for (const until = Date.now() + 5000; smsFiles().length === 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
    const sms = smsFiles();
    expect(sms.length).toBeGreaterThan(0);
    const code = /\b(\d{6})\b/.exec(JSON.parse(fs.readFileSync(path.join(smsDir, sms[0]!), 'utf8')).text)![1]!;
    await say('pii-elig', code);
    // questions the bot cannot answer, with personal data, and a message over the length limit
    await say('pii-q', `what is the weather in Ipoh tomorrow? email me at ${EMAILS[0]} or call ${PHONES[3]}, IC ${MYKADS[0]}`);
    await say('pii-q', `${MYKADS[2]} ${EMAILS[2]} ${'blah '.repeat(100)}`);
    // a check of the ticket status with a reference and a phone
    await say('pii-s', `status of my ticket, my number is ${PHONES[0]}`);
    // the outbox worker has had time to deliver (and log) the mail
    await new Promise((r) => setTimeout(r, 600));

    expect(lines.length).toBeGreaterThan(10);
    const leaks: string[] = [];
    for (const line of lines) {
      for (const value of [...MYKADS, ...EMAILS, ...PHONES].flatMap(variants)) {
        if (line.includes(value)) leaks.push(`${value} in ${line.slice(0, 300)}`);
      }
      for (const [name, shape] of SHAPES) {
        const m = shape.exec(line);
        // the configured sender and support addresses are the operator's, not a customer's
        if (m && !/no-reply@localhost|support@example\.com/.test(m[0])) leaks.push(`${name} ${m[0]} in ${line.slice(0, 300)}`);
      }
    }
    expect(leaks).toEqual([]);

    // texts meant for people other than the customer are masked: the transcript excerpt of each ticket, the
    // notification mail to customer service, the unanswered-question log. (The ticket's own description is
    // kept as the customer wrote it, with their consent, and shown masked: see the ticket tests.)
    const db = app.runtime.database.db as any;
    const tickets = await db.selectFrom('tickets').select(['excerpt']).execute();
    expect(tickets.length).toBe(2);
    const unanswered = await db.selectFrom('unanswered').select('text').execute();
    expect(unanswered.length).toBeGreaterThan(0);
    const notifications = await db.selectFrom('mail_outbox').select(['text_body', 'html_body']).where('kind', '=', 'ticket-created').execute();
    expect(notifications.length).toBe(2);
    const stored = [
      ...tickets.map((t: any) => t.excerpt ?? ''),
      ...unanswered.map((u: any) => u.text),
      ...notifications.flatMap((n: any) => [n.text_body, n.html_body ?? '']),
    ];
    for (const text of stored) {
      for (const value of [...MYKADS, ...EMAILS, ...PHONES].flatMap(variants)) expect(text).not.toContain(value);
      for (const [, shape] of SHAPES) expect(text.replace(/support@example\.com|no-reply@localhost/g, '')).not.toMatch(shape);
    }
    expect(notifications.map((n: any) => n.text_body).join('\n')).toMatch(/••/);
  }, 60_000);
});
