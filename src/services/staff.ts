/**
 * Staff accounts of the console: roles, passwords, sign-in with lockout, sessions and the audit of every
 * staff action. The admin API's bearer token (ADMIN_TOKEN) stays for machine clients; people sign in here.
 *
 * Passwords: scrypt (node:crypto) with N = 2^16, r = 8, p = 1 (64 MiB, a few hundred milliseconds per
 * attempt: slower than the customer-facing migration form on purpose, as a console account reaches every
 * customer's data), a random 16-byte salt; the parameters are stored with the hash so they can be raised
 * later. Policy: 12–128 characters with a letter and a digit, and the migration form's checks
 * (src/web/migration/password.ts: not a common password, not a pattern, not the user's own name).
 *
 * Lockout: STAFF_LOCKOUT_ATTEMPTS failed sign-ins in a row lock the account for STAFF_LOCKOUT_MINUTES
 * (counted in the database, so across instances); an unknown user name costs the same hash as a known one.
 * Sessions: a random 32-byte cookie value, of which only the sha256 is stored, with its CSRF token.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { cleanInboundText } from '../domain/controlChars';
import type { Logger } from '../logging';
import { passwordProblem } from '../web/migration/password';

export const STAFF_ROLES = ['agent', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const STAFF_PASSWORD_MIN = 12;
export const STAFF_PASSWORD_MAX = 128;

interface StaffMembersTable {
  id: import('kysely').Generated<number>;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  disabled: number;
  failed_attempts: number;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

interface StaffSessionsTable {
  id_hash: string;
  staff_id: number;
  csrf: string;
  created_at: string;
  expires_at: string;
}

interface StaffAuditTable {
  id: import('kysely').Generated<number>;
  staff_id: number | null;
  username: string;
  action: string;
  target: string | null;
  detail: string | null;
  created_at: string;
}

interface TicketNotesTable {
  id: import('kysely').Generated<number>;
  reference: string;
  author: string;
  text: string;
  created_at: string;
}

declare module '../db/schema' {
  interface DB {
    staff_members: StaffMembersTable;
    staff_sessions: StaffSessionsTable;
    staff_audit: StaffAuditTable;
    ticket_notes: TicketNotesTable;
  }
}

export interface StaffMember {
  id: number;
  username: string;
  displayName: string;
  role: StaffRole;
  disabled: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

export interface StaffSession {
  staff: StaffMember;
  csrf: string;
  expiresAt: string;
}

export interface AuditEntry {
  id: number;
  username: string;
  action: string;
  target: string | null;
  detail: string | null;
  createdAt: string;
}

export class StaffError extends Error {
  constructor(
    readonly code: 'invalid' | 'exists' | 'not-found' | 'weak-password',
    message: string,
  ) {
    super(message);
    this.name = 'StaffError';
  }
}

export type SignInResult = { ok: true; staff: StaffMember } | { ok: false; reason: 'invalid' | 'locked' };

export interface StaffServiceDeps {
  db: Kysely<DB>;
  log: Logger;
  lockoutAttempts: number;
  lockoutMinutes: number;
  sessionHours: number;
  now?: () => Date;
}

const N = 65536;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scrypt(password: string, salt: Buffer, keylen: number, opts: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, keylen, { ...opts, maxmem: 256 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** "scrypt$N$r$p$salt$hash" (base64url). */
export async function hashStaffPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyStaffPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(key, expected);
}

/** Why a staff password is refused (English, for the CLI), or undefined. */
export function staffPasswordProblem(password: string, context: { username: string; displayName?: string }): string | undefined {
  if (password.length < STAFF_PASSWORD_MIN || password.length > STAFF_PASSWORD_MAX) return `must be ${STAFF_PASSWORD_MIN} to ${STAFF_PASSWORD_MAX} characters`;
  if (!/\p{L}/u.test(password) || !/\d/.test(password)) return 'must contain a letter and a digit';
  const problem = passwordProblem(password, { names: [context.username, context.displayName ?? ''] });
  if (problem === 'migration.form.error.password-common') return 'is a commonly used password';
  if (problem === 'migration.form.error.password-pattern') return 'is an obvious pattern';
  if (problem === 'migration.form.error.password-personal') return 'contains the user name or display name';
  return undefined;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A hash nobody's password matches: an unknown user name costs the same work as a known one. */
let dummyHash: Promise<string> | undefined;

export class StaffService {
  private readonly now: () => Date;

  constructor(private readonly deps: StaffServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async add(input: { username: string; displayName: string; role: string; password: string }): Promise<StaffMember> {
    const username = input.username.trim().toLowerCase();
    if (!/^[a-z0-9][a-z0-9._-]{2,63}$/.test(username)) throw new StaffError('invalid', 'user name: 3 to 64 of a-z, 0-9, ".", "_", "-"');
    const displayName = cleanInboundText(input.displayName ?? '').trim().replace(/\s+/g, ' ');
    if (displayName.length < 2 || displayName.length > 100) throw new StaffError('invalid', 'display name: 2 to 100 characters');
    if (!(STAFF_ROLES as readonly string[]).includes(input.role)) throw new StaffError('invalid', `role: one of ${STAFF_ROLES.join(', ')}`);
    const problem = staffPasswordProblem(input.password, { username, displayName });
    if (problem) throw new StaffError('weak-password', `password ${problem}`);
    const at = this.now().toISOString();
    try {
      await this.deps.db
        .insertInto('staff_members')
        .values({ username, display_name: displayName, role: input.role, password_hash: await hashStaffPassword(input.password), disabled: 0, failed_attempts: 0, locked_until: null, created_at: at, updated_at: at })
        .execute();
    } catch (err) {
      if (await this.byUsername(username)) throw new StaffError('exists', `user ${username} already exists`);
      throw err;
    }
    return (await this.byUsername(username))!;
  }

  async list(): Promise<StaffMember[]> {
    return (await this.deps.db.selectFrom('staff_members').selectAll().orderBy('username').execute()).map(toMember);
  }

  async byUsername(username: string): Promise<StaffMember | undefined> {
    const row = await this.deps.db.selectFrom('staff_members').selectAll().where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
    return row ? toMember(row) : undefined;
  }

  async get(id: number): Promise<StaffMember | undefined> {
    const row = await this.deps.db.selectFrom('staff_members').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toMember(row) : undefined;
  }

  /** Disables an account and ends its sessions. */
  async disable(username: string): Promise<void> {
    const member = await this.byUsername(username);
    if (!member) throw new StaffError('not-found', `no user ${username}`);
    await this.deps.db.updateTable('staff_members').set({ disabled: 1, updated_at: this.now().toISOString() }).where('id', '=', member.id).execute();
    await this.deps.db.deleteFrom('staff_sessions').where('staff_id', '=', member.id).execute();
  }

  /** A new password (the policy applies); unlocks the account and ends its sessions. */
  async resetPassword(username: string, password: string): Promise<void> {
    const member = await this.byUsername(username);
    if (!member) throw new StaffError('not-found', `no user ${username}`);
    const problem = staffPasswordProblem(password, { username: member.username, displayName: member.displayName });
    if (problem) throw new StaffError('weak-password', `password ${problem}`);
    await this.deps.db
      .updateTable('staff_members')
      .set({ password_hash: await hashStaffPassword(password), failed_attempts: 0, locked_until: null, updated_at: this.now().toISOString() })
      .where('id', '=', member.id)
      .execute();
    await this.deps.db.deleteFrom('staff_sessions').where('staff_id', '=', member.id).execute();
  }

  /** Checks a sign-in; counts failures and locks the account after too many in a row. */
  async signIn(username: string, password: string): Promise<SignInResult> {
    const name = String(username ?? '').trim().toLowerCase().slice(0, 64);
    const pass = String(password ?? '').slice(0, STAFF_PASSWORD_MAX);
    const row = await this.deps.db.selectFrom('staff_members').selectAll().where('username', '=', name).executeTakeFirst();
    if (!row || row.disabled) {
      dummyHash ??= hashStaffPassword(randomBytes(16).toString('hex'));
      await verifyStaffPassword(pass, await dummyHash);
      return { ok: false, reason: 'invalid' };
    }
    const now = this.now();
    if (row.locked_until && Date.parse(row.locked_until) > now.getTime()) return { ok: false, reason: 'locked' };
    if (await verifyStaffPassword(pass, row.password_hash)) {
      await this.deps.db.updateTable('staff_members').set({ failed_attempts: 0, locked_until: null }).where('id', '=', row.id).execute();
      return { ok: true, staff: toMember(row) };
    }
    // counted in one statement, so parallel attempts on several instances all count
    await this.deps.db
      .updateTable('staff_members')
      .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
      .where('id', '=', row.id)
      .execute();
    const after = await this.deps.db.selectFrom('staff_members').select('failed_attempts').where('id', '=', row.id).executeTakeFirstOrThrow();
    if (after.failed_attempts >= this.deps.lockoutAttempts) {
      await this.deps.db
        .updateTable('staff_members')
        .set({ failed_attempts: 0, locked_until: new Date(now.getTime() + this.deps.lockoutMinutes * 60_000).toISOString() })
        .where('id', '=', row.id)
        .execute();
      this.deps.log.warn({ staff: row.username }, 'staff account locked after repeated failed sign-ins');
      return { ok: false, reason: 'locked' };
    }
    return { ok: false, reason: 'invalid' };
  }

  /** A new session: the cookie value (given to the browser once) and its CSRF token. */
  async createSession(staffId: number): Promise<{ token: string; csrf: string; expiresAt: string }> {
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.deps.sessionHours * 3_600_000).toISOString();
    await this.deps.db.insertInto('staff_sessions').values({ id_hash: sha256(token), staff_id: staffId, csrf, created_at: now.toISOString(), expires_at: expiresAt }).execute();
    return { token, csrf, expiresAt };
  }

  /** The session of a cookie value, when it is valid and its account enabled. */
  async session(token: string): Promise<StaffSession | undefined> {
    if (!token || token.length > 100) return undefined;
    const row = await this.deps.db
      .selectFrom('staff_sessions')
      .innerJoin('staff_members', 'staff_members.id', 'staff_sessions.staff_id')
      .selectAll('staff_members')
      .select(['staff_sessions.csrf as csrf', 'staff_sessions.expires_at as expires_at'])
      .where('staff_sessions.id_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!row || row.disabled || Date.parse(row.expires_at) <= this.now().getTime()) return undefined;
    return { staff: toMember(row), csrf: row.csrf, expiresAt: row.expires_at };
  }

  async endSession(token: string): Promise<void> {
    await this.deps.db.deleteFrom('staff_sessions').where('id_hash', '=', sha256(token)).execute();
  }

  /** Records a staff action (who, what, on what). Never throws: a failed audit write is logged. */
  async audit(who: { id: number | null; username: string }, action: string, target?: string, detail?: string): Promise<void> {
    try {
      await this.deps.db
        .insertInto('staff_audit')
        .values({
          staff_id: who.id,
          username: who.username.slice(0, 64),
          action: action.slice(0, 32),
          target: target?.slice(0, 100) ?? null,
          detail: detail?.slice(0, 500) ?? null,
          created_at: this.now().toISOString(),
        })
        .execute();
    } catch (err) {
      this.deps.log.error({ err, action }, 'could not write the staff audit');
    }
  }

  async auditLog(limit = 100): Promise<AuditEntry[]> {
    const rows = await this.deps.db.selectFrom('staff_audit').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ id: Number(r.id), username: r.username, action: r.action, target: r.target, detail: r.detail, createdAt: r.created_at }));
  }

  async addNote(reference: string, author: string, text: string): Promise<void> {
    const clean = cleanInboundText(text ?? '').trim();
    if (clean === '' || clean.length > 4000) throw new StaffError('invalid', 'a note is 1 to 4000 characters');
    await this.deps.db.insertInto('ticket_notes').values({ reference, author, text: clean, created_at: this.now().toISOString() }).execute();
  }

  async notes(reference: string): Promise<Array<{ author: string; text: string; createdAt: string }>> {
    const rows = await this.deps.db.selectFrom('ticket_notes').selectAll().where('reference', '=', reference).orderBy('id').limit(500).execute();
    return rows.map((r) => ({ author: r.author, text: r.text, createdAt: r.created_at }));
  }
}

function toMember(r: Omit<StaffMembersTable, 'id'> & { id: number }): StaffMember {
  return {
    id: Number(r.id),
    username: r.username,
    displayName: r.display_name,
    role: r.role as StaffRole,
    disabled: !!r.disabled,
    lockedUntil: r.locked_until,
    createdAt: r.created_at,
  };
}
