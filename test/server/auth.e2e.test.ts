/**
 * Inbound authentication with MicrosoftAppId set: a local HTTP server publishes the Bot Framework's
 * OpenID metadata and signing keys (BOT_OPENID_METADATA_URL), as login.botframework.com does.
 * No token, a token signed by an unknown key, or one for another audience → 401; a valid token → served.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RunningBot, activity, post, startBot, texts } from '../helpers/app';

const APP_ID = '5b8f1c2e-1111-4a3b-9c9d-0e0f1a2b3c4d';
const known = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });

function sign(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(claims)}`;
  const signature = createSign('RSA-SHA256').update(head).sign(key).toString('base64url');
  return `${head}.${signature}`;
}

describe('Bot Framework authentication', () => {
  let keys: http.Server;
  let bot: RunningBot;
  let metadataUrl: string;
  const serviceUrl = 'https://webchat.botframework.com/';
  const claims = () => {
    const now = Math.floor(Date.now() / 1000);
    return { iss: 'https://api.botframework.com', aud: APP_ID, nbf: now - 60, exp: now + 600, serviceurl: serviceUrl };
  };

  beforeAll(async () => {
    const jwk = { ...(known.publicKey.export({ format: 'jwk' }) as object), kid: 'known-key', use: 'sig', alg: 'RS256', endorsements: ['test', 'webchat'] };
    keys = http.createServer((req, res) => {
      const base = `http://127.0.0.1:${(keys.address() as AddressInfo).port}`;
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/.well-known/openidconfiguration') {
        res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/v1/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
      } else if (req.url === '/v1/keys') {
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((r) => keys.listen(0, '127.0.0.1', () => r()));
    metadataUrl = `http://127.0.0.1:${(keys.address() as AddressInfo).port}/v1/.well-known/openidconfiguration`;
    bot = await startBot({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-used-for-inbound', BOT_OPENID_METADATA_URL: metadataUrl });
  });
  afterAll(async () => {
    await bot.stop();
    await new Promise((r) => keys.close(r));
  });

  const message = () => activity('camne nk upgrade akaun', { serviceUrl, conversation: { id: `auth-${Math.random()}` } });

  test('no token → 401', async () => {
    const res = await post(bot.url, message());
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthorized' });
  });

  test('a token signed by an unknown key → 401', async () => {
    const token = sign(stranger.privateKey, 'known-key', claims());
    const res = await post(bot.url, message(), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
  });

  test('a token with an unknown key id → 401', async () => {
    const token = sign(stranger.privateKey, 'who-knows', claims());
    const res = await post(bot.url, message(), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
  });

  test('a token for another bot (audience) → 401', async () => {
    const token = sign(known.privateKey, 'known-key', { ...claims(), aud: 'another-bot' });
    const res = await post(bot.url, message(), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
  });

  test('a valid token is served', async () => {
    const token = sign(known.privateKey, 'known-key', claims());
    const res = await post(bot.url, message(), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(texts(res).join('\n')).toContain('kaunter JUPEM');
  });
});

test('an expired token → 401', async () => {
  // a separate bot is not needed: the check happens before any key is used
  const bot = await startBot({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', BOT_OPENID_METADATA_URL: 'http://127.0.0.1:9/none' });
  try {
    const now = Math.floor(Date.now() / 1000);
    const token = sign(known.privateKey, 'known-key', { iss: 'https://api.botframework.com', aud: APP_ID, nbf: now - 7200, exp: now - 3600 });
    const res = await post(bot.url, activity('hai'), { headers: { authorization: `Bearer ${token}` } });
    // the keys cannot be fetched here: the server must not leak why, and must not crash
    expect([401, 500]).toContain(res.status);
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|stack/);
  } finally {
    await bot.stop();
  }
});
