/** HTTP helpers of the handoff and console tests: a stand-in Bot Framework connector and a browser-like client. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../../src/app';
import { StaffService } from '../../src/services/staff';
import { createLogger } from '../../src/logging';

/** Records what the bot posts to /v3/conversations/… (proactive messages: staff lines, taken, handed back). */
export async function fakeConnector() {
  const received: Array<{ path: string; body: any }> = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: data ? JSON.parse(data) : undefined });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `sent-${received.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    texts: (conversation: string) => received.filter((r) => r.path.startsWith(`/v3/conversations/${conversation}/activities`)).map((r) => String(r.body?.text ?? '')),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export const PASSWORD = 'Kelapa-Sawit-Hijau-88';

export async function addStaff(app: App, username: string, role: 'agent' | 'supervisor' | 'admin' = 'agent', displayName = 'Siti Aminah') {
  const staff = new StaffService({ db: app.runtime.database.db, log: createLogger({ level: 'silent', format: 'json' }), lockoutAttempts: 3, lockoutMinutes: 15, sessionHours: 8 });
  return staff.add({ username, displayName, role, password: PASSWORD });
}

/** A browser in miniature: keeps cookies, does not follow redirects, reads the page's CSRF token. */
export class Browser {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(readonly base: string) {}

  async request(method: string, path: string, form?: Record<string, string>, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...headers,
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [k, v] = pair!.split('=');
      if (/Max-Age=0/.test(line)) this.cookies.delete(k!);
      else this.cookies.set(k!, v ?? '');
    }
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text);
    if (m) this.csrf = m[1]!;
    return { status: res.status, text, headers: res.headers, setCookies: res.headers.getSetCookie() };
  }
  get(path: string) {
    return this.request('GET', path);
  }
  post(path: string, form: Record<string, string> = {}, withCsrf = true) {
    return this.request('POST', path, withCsrf ? { _csrf: this.csrf, ...form } : form);
  }
  async signIn(username: string, password = PASSWORD) {
    await this.get('/console/sign-in');
    const res = await this.post('/console/sign-in', { username, password, next: '/console' });
    // the signed-in pages carry the session's CSRF token
    if (res.status === 303) await this.get('/console');
    return res;
  }
}
