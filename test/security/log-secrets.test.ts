/**
 * Issue 13, item 9: no secret in a log line. Link tokens (/migrate/<token>) only with DEV_LOG_SECRETS;
 * Direct Line tokens (JSON Web Tokens), Authorization headers, credentials in URLs and secret query
 * parameters never; personal data masked in every part of a line (fields at any depth, the message, format
 * arguments, errors).
 */
import { memoryLogger } from '../helpers/log';
import { redactSecrets } from '../../src/logging';

const TOKEN = 'Qm9vb29vb29vb29vb29vb29vb29vb29vb29vb29vb29';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjb252IjoiYWJjIiwidXNlciI6ImRsX3UifQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWc';

describe('redactSecrets', () => {
  test.each([
    [`open http://localhost:3978/migrate/${TOKEN} now`, 'open http://localhost:3978/migrate/[redacted] now'],
    [`GET /migrate/${TOKEN}?lang=en`, 'GET /migrate/[redacted]?lang=en'],
    [`Authorization: Bearer ${JWT}`, 'Authorization: Bearer [redacted]'],
    [`token ${JWT} refused`, 'token [redacted] refused'],
    [`wss://bot.example.my/directline/conversations/c1/stream?t=${JWT}&watermark=3`, 'wss://bot.example.my/directline/conversations/c1/stream?t=[redacted]&watermark=3'],
    ['smtp://mailer:s3cret-Pa55@mail.example.my:587', 'smtp://[redacted]@mail.example.my:587'],
    ['/api/whatsapp?hub.mode=subscribe&hub.verify_token=abcdef&hub.challenge=1', '/api/whatsapp?hub.mode=subscribe&hub.verify_token=[redacted]&hub.challenge=1'],
  ])('%s', (text, expected) => expect(redactSecrets(text)).toBe(expected));

  test('DEV_LOG_SECRETS shows the migration link, never a bearer token', () => {
    expect(redactSecrets(`/migrate/${TOKEN} Bearer ${JWT}`, { showSecrets: true })).toBe(`/migrate/${TOKEN} Bearer [redacted]`);
  });
});

describe('the logger', () => {
  test('every part of a line is cleaned: fields at any depth, message, format arguments, errors', () => {
    const { log, lines } = memoryLogger('trace');
    let deep: Record<string, unknown> = { mykad: '850312-14-5672' };
    for (let i = 0; i < 20; i++) deep = { d: deep };
    const err = new Error(`failed for /migrate/${TOKEN} and 8503 1214 5672`);
    log.info(
      {
        req: { headers: { authorization: `Bearer ${JWT}`, cookie: 'sid=abc123' } },
        response: { headers: { 'set-cookie': 'sid=abc123' } },
        config: { DIRECT_LINE_SECRET: 'dl-secret-value', WHATSAPP_ACCESS_TOKEN: 'EAAG-secret', ADMIN_TOKEN: 'admin-secret-1234' },
        link: `http://localhost:3978/migrate/${TOKEN}`,
        text: 'nombor 12 100 0001, pasport A12345678, emel siti@mañana.com',
        deep,
        err,
      },
      'sent %s to %s',
      `http://localhost:3978/migrate/${TOKEN}`,
      'siti+bot@jupem.gov.my',
    );
    log.warn(`stream url wss://x/stream?t=${JWT}`);
    const all = lines.join('\n');
    for (const secret of [TOKEN, JWT, 'abc123', 'dl-secret-value', 'EAAG-secret', 'admin-secret-1234', '850312', '8503 1214', '100 0001', 'A12345678', 'mañana', 'siti+bot']) {
      expect([secret, all.includes(secret)]).toEqual([secret, false]);
    }
    expect(all).toContain('/migrate/[redacted]');
    expect(all).toContain('+6012•••••01');
  });

  test('with DEV_LOG_SECRETS the migration link is shown; headers and tokens still are not', () => {
    const { log, lines } = memoryLogger('info', { showSecrets: true });
    log.info({ links: [`http://localhost:3978/migrate/${TOKEN}`], req: { headers: { authorization: `Bearer ${JWT}` } } }, 'mail written');
    const all = lines.join('\n');
    expect(all).toContain(`/migrate/${TOKEN}`);
    expect(all).not.toContain(JWT);
  });
});
