/**
 * The insight pages and API sit behind ONE authorisation function (what the console's sign-in will provide):
 * no staff → 401 everywhere; an agent reads but cannot change the knowledge (403); a supervisor can, and the
 * change is audited under the staff member's id.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config';
import { createInsightFeature } from '../../src/features/insight';
import { createRuntime, type Runtime } from '../../src/runtime';
import { createHttpServer, type HttpServer } from '../../src/server';
import { memoryLogger } from '../helpers/log';

describe('insight routes behind one authorize function', () => {
  let runtime: Runtime;
  let http: HttpServer;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-authz-'));
    const config = loadConfig({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }, path.join(__dirname, '../..'));
    const { log } = memoryLogger('silent');
    runtime = await createRuntime(config, log, {
      features: (deps) => [
        createInsightFeature(deps, {
          // stands in for the console's session: the role comes from a header only this test sets
          authorize: async (req) => {
            const role = req.header('x-test-role');
            return role === 'agent' || role === 'supervisor' || role === 'admin' ? { id: `${role}-1`, role } : null;
          },
        }),
      ],
    });
    http = createHttpServer(runtime, log);
    await new Promise<void>((resolve) => http.server.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => http.server.close(() => resolve()));
    await runtime.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const call = (p: string, role?: string, body?: unknown) =>
    fetch(`${url}${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...(role ? { 'x-test-role': role } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const paraphrase = { entryId: 'ebiz.upgrade-account', lang: 'en', text: 'lift my ebiz profile off the basic tier' };

  test.each(['/console/knowledge', '/console/knowledge/changes'])('%s: 401 without staff, 200 for an agent', async (p) => {
    expect((await call(p)).status).toBe(401);
    expect((await call(p, 'agent')).status).toBe(200);
  });

  test.each(['/console/dashboard', '/console/dashboard.csv', '/console/dashboard.json'])('%s: the supervisors\' (401 without staff, 403 for an agent, 200 for a supervisor)', async (p) => {
    expect((await call(p)).status).toBe(401);
    expect((await call(p, 'agent')).status).toBe(403);
    expect((await call(p, 'supervisor')).status).toBe(200);
  });

  test('an agent cannot change the knowledge; a supervisor can, audited under their id', async () => {
    expect((await call('/console/knowledge/paraphrases', undefined, paraphrase)).status).toBe(401);
    expect((await call('/console/knowledge/paraphrases', 'agent', paraphrase)).status).toBe(403);
    const res = await call('/console/knowledge/paraphrases', 'supervisor', paraphrase);
    expect(res.status).toBe(201);
    const { change } = (await res.json()) as { change: { id: number; author: string } };
    expect(change.author).toBe('supervisor-1');
    expect((await call(`/console/knowledge/changes/${change.id}/revert`, 'agent', {})).status).toBe(403);
    expect((await call(`/console/knowledge/changes/${change.id}/revert`, 'admin', {})).status).toBe(200);
    expect((await call(`/console/knowledge/changes/${change.id}/revert`, 'admin', {})).status).toBe(404);
  });

  test('an agent sees the knowledge page without the forms that change it', async () => {
    const html = await (await call('/console/knowledge?ui=en', 'agent')).text();
    expect(html).not.toContain('data-action=');
    const admin = await (await call('/console/knowledge?ui=en', 'admin')).text();
    expect(admin).toContain('data-action="/console/knowledge/entries"');
  });
});
