import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ConfigError, loadConfig, schema } from '../../src/config';
import { DEFAULT_POSTGRES_LIMITS } from '../../src/db/limits';

const load = (env: Record<string, string>) => loadConfig(env, '/srv/bot');

describe('configuration', () => {
  test('defaults: port 3978, SQLite in ./data, authentication off, all packs', () => {
    const c = load({});
    expect(c.PORT).toBe(3978);
    expect(c.dataDir).toBe('/srv/bot/data');
    expect(c.database).toEqual({ kind: 'sqlite', file: '/srv/bot/data/bot.sqlite', busyTimeoutMs: 2000 });
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
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/bot', limits: { ...DEFAULT_POSTGRES_LIMITS } });
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
    [{ DB_STATEMENT_TIMEOUT_MS: '3000', DB_QUERY_TIMEOUT_MS: '3000' }, /^Invalid configuration: DB_STATEMENT_TIMEOUT_MS: must be below DB_QUERY_TIMEOUT_MS$/],
    [{ DB_QUERY_TIMEOUT_MS: '0' }, /^Invalid configuration: DB_QUERY_TIMEOUT_MS: /],
    [{ DB_CONNECT_TIMEOUT_MS: 'forever' }, /^Invalid configuration: DB_CONNECT_TIMEOUT_MS: /],
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

  test('the database bounds are read into the database target', () => {
    const c = load({
      DATABASE_URL: 'postgres://u@db:5432/bot',
      DB_CONNECT_TIMEOUT_MS: '1500',
      DB_QUERY_TIMEOUT_MS: '4000',
      DB_STATEMENT_TIMEOUT_MS: '3500',
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '20000',
      DB_KEEPALIVE_INITIAL_DELAY_MS: '5000',
      DB_POOL_MAX: '25',
      DB_POOL_IDLE_TIMEOUT_MS: '30000',
      DB_POOL_MAX_LIFETIME_SECONDS: '0',
      DB_RETRY_INTERVAL_MS: '500',
      DB_MIGRATION_TIMEOUT_MS: '60000',
    });
    expect(c.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@db:5432/bot',
      limits: {
        connectTimeoutMs: 1500,
        queryTimeoutMs: 4000,
        statementTimeoutMs: 3500,
        idleInTransactionTimeoutMs: 20000,
        keepAliveInitialDelayMs: 5000,
        poolMax: 25,
        poolIdleTimeoutMs: 30000,
        poolMaxLifetimeSeconds: 0,
        retryIntervalMs: 500,
        migrationTimeoutMs: 60000,
      },
    });
    expect(load({ DB_SQLITE_BUSY_TIMEOUT_MS: '750' }).database).toMatchObject({ kind: 'sqlite', busyTimeoutMs: 750 });
  });

  test('production without credentials starts only when explicitly allowed', () => {
    const c = load({ NODE_ENV: 'production', ALLOW_UNAUTHENTICATED_IN_PRODUCTION: 'true' });
    expect(c.authEnabled).toBe(false);
    expect(c.logFormat).toBe('json');
    const withAuth = load({ NODE_ENV: 'production', MicrosoftAppId: 'id', MicrosoftAppPassword: 'secret' });
    expect(withAuth.authEnabled).toBe(true);
  });

  test('WEBCHAT_ALLOWED_ORIGINS: origins only (scheme, host, port), comma-separated', () => {
    expect(load({}).webchatAllowedOrigins).toEqual([]);
    expect(load({ WEBCHAT_ALLOWED_ORIGINS: ' https://www.Example.com , http://127.0.0.1:8080/ ' }).webchatAllowedOrigins).toEqual([
      'https://www.example.com',
      'http://127.0.0.1:8080',
    ]);
    for (const bad of ['*', 'www.example.com', 'https://www.example.com/shop', 'ftp://example.com', 'https://example.com:443']) {
      expect(() => load({ WEBCHAT_ALLOWED_ORIGINS: bad })).toThrow(/WEBCHAT_ALLOWED_ORIGINS: .*not an origin/);
    }
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
