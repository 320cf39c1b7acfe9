/**
 * Staff accounts (src/services/staff.ts) and `npm run staff` (src/cli/staff.ts), on SQLite and PostgreSQL:
 * the password policy, a slow scrypt hash, sign-in, lockout after repeated failures, sessions, disabling,
 * resetting a password, and the audit of every change.
 */
import { createLogger } from '../../src/logging';
import { runStaffCommand } from '../../src/cli/staff';
import { StaffService, staffPasswordProblem } from '../../src/services/staff';
import { engines, openTestDatabase, type TestDatabase } from '../helpers/databases';

const GOOD = 'Kelapa-Sawit-Hijau-88';

describe.each(engines())('staff accounts on %s', (engine) => {
  let t: TestDatabase;
  let now = new Date('2026-11-20T02:00:00Z');
  let service: StaffService;
  beforeEach(async () => {
    t = await openTestDatabase(engine);
    now = new Date('2026-11-20T02:00:00Z');
    service = new StaffService({ db: t.database.db, log: createLogger({ level: 'silent', format: 'json' }), lockoutAttempts: 3, lockoutMinutes: 15, sessionHours: 8, now: () => now });
  });
  afterEach(async () => {
    await t.dispose();
  });

  test('the password policy refuses short, common, patterned and personal passwords', () => {
    expect(staffPasswordProblem('short1', { username: 'siti' })).toMatch(/12 to 128/);
    expect(staffPasswordProblem('abcdefghijklmnop', { username: 'siti' })).toMatch(/letter and a digit/);
    expect(staffPasswordProblem('password12345', { username: 'siti' })).toMatch(/common|pattern/);
    expect(staffPasswordProblem('123456789012a', { username: 'siti' })).toMatch(/pattern/);
    expect(staffPasswordProblem('sitinurhaliza2026', { username: 'siti.nurhaliza', displayName: 'Siti Nurhaliza' })).toMatch(/user name or display name/);
    expect(staffPasswordProblem(GOOD, { username: 'siti' })).toBeUndefined();
  });

  test('add, sign in, the stored hash is slow scrypt; wrong passwords lock the account; reset unlocks', async () => {
    const member = await service.add({ username: 'Siti', displayName: 'Siti Aminah', role: 'agent', password: GOOD });
    expect(member.username).toBe('siti');
    const row = await t.database.db.selectFrom('staff_members').select('password_hash').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$65536\$8\$1\$/);
    expect(row.password_hash).not.toContain(GOOD);
    await expect(service.add({ username: 'siti', displayName: 'Other', role: 'agent', password: GOOD })).rejects.toThrow(/already exists/);
    await expect(service.add({ username: 'bob', displayName: 'Bob', role: 'boss', password: GOOD })).rejects.toThrow(/role/);

    expect(await service.signIn('SITI', GOOD)).toMatchObject({ ok: true, staff: { username: 'siti', role: 'agent' } });
    expect(await service.signIn('siti', 'wrong-password-1')).toEqual({ ok: false, reason: 'invalid' });
    expect(await service.signIn('siti', 'wrong-password-2')).toEqual({ ok: false, reason: 'invalid' });
    expect(await service.signIn('siti', 'wrong-password-3')).toEqual({ ok: false, reason: 'locked' });
    // locked: even the right password is refused until the lock ends
    expect(await service.signIn('siti', GOOD)).toEqual({ ok: false, reason: 'locked' });
    now = new Date(now.getTime() + 16 * 60_000);
    expect((await service.signIn('siti', GOOD)).ok).toBe(true);
    expect(await service.signIn('nobody', GOOD)).toEqual({ ok: false, reason: 'invalid' });
  });

  test('sessions: valid until they expire, ended by sign-out, by disabling and by a password reset', async () => {
    const member = await service.add({ username: 'ali', displayName: 'Ali Hassan', role: 'supervisor', password: GOOD });
    const a = await service.createSession(member.id);
    expect((await service.session(a.token))!.staff.username).toBe('ali');
    expect((await service.session(a.token))!.csrf).toBe(a.csrf);
    expect(await service.session('forged')).toBeUndefined();
    await service.endSession(a.token);
    expect(await service.session(a.token)).toBeUndefined();
    const b = await service.createSession(member.id);
    now = new Date(now.getTime() + 9 * 3_600_000);
    expect(await service.session(b.token)).toBeUndefined();
    const c = await service.createSession(member.id);
    await service.resetPassword('ali', 'Another-Good-Phrase-42');
    expect(await service.session(c.token)).toBeUndefined();
    const d = await service.createSession(member.id);
    await service.disable('ali');
    expect(await service.session(d.token)).toBeUndefined();
    expect(await service.signIn('ali', 'Another-Good-Phrase-42')).toEqual({ ok: false, reason: 'invalid' });
  });

  test('npm run staff: add | list | disable | reset-password, each audited; the password only from stdin', async () => {
    const out: string[] = [];
    const run = (args: string[], password = GOOD) => runStaffCommand(args, service, (s) => out.push(s), async () => password);
    await run(['add', 'nora', '--name', 'Nora Lee', '--role', 'admin']);
    await expect(run(['add', 'weak', '--name', 'Weak', '--role', 'agent'], 'abc')).rejects.toThrow(/12 to 128/);
    await run(['list']);
    await run(['reset-password', 'nora'], 'Fresh-Durian-Season-7');
    await run(['disable', 'nora']);
    await run(['list']);
    expect(out[0]).toBe('added nora (admin)');
    expect(out[1]).toMatch(/^nora\s+admin\s+active\s+Nora Lee$/);
    expect(out.at(-1)).toMatch(/^nora\s+admin\s+disabled/);
    await expect(run(['disable', 'ghost'])).rejects.toThrow(/no user ghost/);
    await expect(run(['frobnicate'])).rejects.toThrow(/unknown command/);
    expect((await service.auditLog()).map((e) => `${e.username}:${e.action}:${e.target}`)).toEqual(['cli:staff-disable:nora', 'cli:staff-reset-password:nora', 'cli:staff-add:nora']);
  });
});
