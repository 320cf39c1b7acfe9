import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ConfigError, loadConfig, schema } from '../../src/config';

const load = (env: Record<string, string>) => loadConfig(env, '/srv/bot');

describe('configuration', () => {
  test('defaults: port 3978, SQLite in ./data, authentication off, all packs', () => {
    const c = load({});
    expect(c.PORT).toBe(3978);
    expect(c.dataDir).toBe('/srv/bot/data');
    expect(c.database).toEqual({ kind: 'sqlite', file: '/srv/bot/data/bot.sqlite' });
    expect(c.authEnabled).toBe(false);
    expect(c.knowledgePacks).toBeUndefined();
    expect(c.publicUrl).toBe('http://localhost:3978');
    expect(c.logFormat).toBe('pretty');
  });

  test('PORT, DATA_DIR, DATABASE_URL, KNOWLEDGE_PACKS and PUBLIC_URL are read', () => {
    const c = load({
      PORT: '8080',
      DATA_DIR: '/var/lib/bot',
      DATABASE_URL: 'postgres://u@db:5432/bot',
      KNOWLEDGE_PACKS: 'planswitch, ebiz',
      PUBLIC_URL: 'https://bot.example.my/',
    });
    expect(c.PORT).toBe(8080);
    expect(c.dataDir).toBe('/var/lib/bot');
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/bot' });
    expect(c.knowledgePacks).toEqual(['planswitch', 'ebiz']);
    expect(c.publicUrl).toBe('https://bot.example.my');
  });

  test.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT: .+ \(got "abc"\)$/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT: /],
    [{ DATABASE_URL: 'mysql://x' }, /^Invalid configuration: DATABASE_URL: must be a postgres/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL: /],
    [{ NODE_ENV: 'staging' }, /^Invalid configuration: NODE_ENV: /],
    [{ PUBLIC_URL: 'not a url' }, /^Invalid configuration: PUBLIC_URL: /],
    [{ NLU_ANSWER_THRESHOLD: '1.5' }, /^Invalid configuration: NLU_ANSWER_THRESHOLD: /],
    [{ NLU_ANSWER_THRESHOLD: '0.4', NLU_CLARIFY_THRESHOLD: '0.6' }, /^Invalid configuration: NLU_CLARIFY_THRESHOLD: /],
    [{ MicrosoftAppId: 'abc' }, /^Invalid configuration: MicrosoftAppPassword: required/],
    [{ MicrosoftAppId: 'abc', MicrosoftAppPassword: 'p', MicrosoftAppType: 'SingleTenant' }, /MicrosoftAppTenantId/],
    [{ NODE_ENV: 'production' }, /^Invalid configuration: MicrosoftAppId: required when NODE_ENV=production/],
  ])('%j is refused with one line naming the variable', (env, message) => {
    let error: unknown;
    try {
      load(env as Record<string, string>);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  test('production without credentials starts only when explicitly allowed', () => {
    const c = load({ NODE_ENV: 'production', ALLOW_UNAUTHENTICATED_IN_PRODUCTION: 'true' });
    expect(c.authEnabled).toBe(false);
    expect(c.logFormat).toBe('json');
    const withAuth = load({ NODE_ENV: 'production', MicrosoftAppId: 'id', MicrosoftAppPassword: 'secret' });
    expect(withAuth.authEnabled).toBe(true);
  });

  test('.env.example documents exactly the variables of the schema', () => {
    const text = fs.readFileSync(path.join(__dirname, '../../.env.example'), 'utf8');
    const documented = [...text.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(schema.shape).sort());
  });

  test('the values in .env.example are valid defaults', () => {
    const text = fs.readFileSync(path.join(__dirname, '../../.env.example'), 'utf8');
    const env = Object.fromEntries([...text.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(() => load(env)).not.toThrow();
  });
});

describe('start-up with an invalid setting', () => {
  test('prints one line naming the variable and exits 1', () => {
    // dist/ is built by `npm test` before jest runs
    const dist = path.join(__dirname, '../../dist/src/index.js');
    const result = spawnSync(process.execPath, [dist], { env: { ...process.env, PORT: 'many' }, encoding: 'utf8', timeout: 20000 });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'Invalid configuration: PORT: Invalid input: expected number, received NaN (got "many")',
    ]);
  });
});
