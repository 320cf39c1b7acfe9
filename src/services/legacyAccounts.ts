/**
 * The legacy-account directory of the old eBiz system, behind a port: an SQL adapter on the project database
 * (with demo accounts seeded outside production) and an HTTP adapter to a real account service
 * (LEGACY_ACCOUNTS_URL). Identifiers arrive validated and normalised (src/domain).
 *
 * HTTP contract of the account service (JSON):
 *   POST {base}/lookup            { kind: "email"|"mykad"|"passport", value }  → 200 LegacyAccount | 404
 *   GET  {base}/accounts/{id}                                                   → 200 LegacyAccount | 404
 *   POST {base}/accounts/{id}/migrate { name, phone, email, passwordHash }      → 2xx (idempotent: the same
 *                                     update applied twice leaves the account as once)
 *   GET  {base}/email-shapes          → 200 [{ initial, domain, mykad, passport }] | 404
 *        how many accounts have an address starting with `initial` at `domain`, by identifier kind: the
 *        directory's mix, from which the decoy addresses of unknown identifiers are drawn (optional; without
 *        it the bot falls back to a built-in mix, which an attacker could tell apart more easily).
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { DB } from '../db/schema';
import { type HttpResponse, httpRequest, parseJson } from './http/client';
import type { Db } from './ports';

export interface LegacyAccountsTable {
  id: string;
  /** 12 digits, no separators. */
  mykad: string | null;
  /** Upper-case, no separators. */
  passport: string | null;
  email: string;
  /** The e-mail lower-cased, for lookup. */
  email_lc: string;
  name: string;
  /** E.164. */
  phone: string | null;
  migrated_at: string | null;
  /** scrypt$… of the new eBiz v2.0 password. */
  password_hash: string | null;
  created_at: string;
  updated_at: string;
}

declare module '../db/schema' {
  interface DB {
    legacy_accounts: LegacyAccountsTable;
  }
}

export type IdentifierKind = 'email' | 'mykad' | 'passport';

export interface LegacyIdentifier {
  kind: IdentifierKind;
  /** Normalised: e-mail with the domain lower-cased, MyKad 12 digits, passport upper-case. */
  value: string;
}

export interface LegacyAccount {
  id: string;
  email: string;
  name: string;
  phone?: string;
  mykad?: string;
  passport?: string;
  migrated: boolean;
}

export interface MigrationUpdate {
  name: string;
  /** E.164. */
  phone: string;
  email: string;
  passwordHash: string;
}

/** How many accounts have an address with this first character at this domain, per identifier kind. */
export interface EmailShapeCount {
  /** The first character of the address as stored (its case kept: the masked address shows it). */
  initial: string;
  /** The domain, lower-case. */
  domain: string;
  /** Accounts with a MyKad number / a passport number. */
  mykad: number;
  passport: number;
}

export interface LegacyAccountDirectory {
  find(identifier: LegacyIdentifier): Promise<LegacyAccount | undefined>;
  get(accountId: string): Promise<LegacyAccount | undefined>;
  /** Records the new details; `db` is the caller's transaction (SQL adapter). */
  markMigrated(accountId: string, update: MigrationUpdate, db?: Db): Promise<void>;
  /** The directory's mix of address shapes (for decoys); undefined when the directory cannot tell. */
  emailShapes?(): Promise<EmailShapeCount[] | undefined>;
}

export class SqlLegacyAccounts implements LegacyAccountDirectory {
  constructor(
    private readonly db: Kysely<DB>,
    /** Awaited before the first query (the demo seed). */
    private readonly ready: Promise<unknown> = Promise.resolve(),
    private readonly now: () => number = Date.now,
  ) {}

  async find(identifier: LegacyIdentifier): Promise<LegacyAccount | undefined> {
    await this.ready;
    let q = this.db.selectFrom('legacy_accounts').selectAll();
    if (identifier.kind === 'email') q = q.where('email_lc', '=', identifier.value.toLowerCase());
    else if (identifier.kind === 'mykad') q = q.where('mykad', '=', identifier.value);
    else q = q.where('passport', '=', identifier.value.toUpperCase());
    const row = await q.orderBy('id').executeTakeFirst();
    return row && toAccount(row);
  }

  async get(accountId: string): Promise<LegacyAccount | undefined> {
    await this.ready;
    const row = await this.db.selectFrom('legacy_accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
    return row && toAccount(row);
  }

  async markMigrated(accountId: string, update: MigrationUpdate, db: Db = this.db): Promise<void> {
    await this.ready;
    const at = new Date(this.now()).toISOString();
    const result = await db
      .updateTable('legacy_accounts')
      .set({
        name: update.name,
        phone: update.phone,
        email: update.email,
        email_lc: update.email.toLowerCase(),
        password_hash: update.passwordHash,
        migrated_at: at,
        updated_at: at,
      })
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new Error('legacy account not found');
  }

  /** One grouped query (by first character and domain), whatever the size of the directory. */
  async emailShapes(): Promise<EmailShapeCount[]> {
    await this.ready;
    const pg = this.db.getExecutor().adapter instanceof PostgresAdapter;
    const domain = pg ? sql<string>`lower(split_part(email, '@', 2))` : sql<string>`lower(substr(email, instr(email, '@') + 1))`;
    const rows = await this.db
      .selectFrom('legacy_accounts')
      .select([
        sql<string>`substr(email, 1, 1)`.as('initial'),
        domain.as('domain'),
        sql<number>`sum(case when mykad is not null then 1 else 0 end)`.as('mykad'),
        sql<number>`sum(case when passport is not null then 1 else 0 end)`.as('passport'),
      ])
      .groupBy([sql`substr(email, 1, 1)`, domain])
      .execute();
    return rows.map((r) => ({ initial: r.initial, domain: r.domain, mykad: Number(r.mykad), passport: Number(r.passport) }));
  }
}

function toAccount(row: LegacyAccountsTable): LegacyAccount {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    ...(row.phone ? { phone: row.phone } : {}),
    ...(row.mykad ? { mykad: row.mykad } : {}),
    ...(row.passport ? { passport: row.passport } : {}),
    migrated: row.migrated_at !== null,
  };
}

/** Demo accounts for trying the procedure on a fresh machine (README lists them). Not for production. */
export const DEMO_ACCOUNTS: ReadonlyArray<Omit<LegacyAccountsTable, 'email_lc' | 'migrated_at' | 'password_hash' | 'created_at' | 'updated_at'>> = [
  { id: 'demo-1', mykad: '850312145672', passport: null, email: 'aminah.abdullah@example.com', name: 'Aminah binti Abdullah', phone: '+60123456789' },
  { id: 'demo-2', mykad: '900101105431', passport: null, email: 'tan.weiming@example.com.my', name: 'Tan Wei Ming', phone: '+60198765432' },
  { id: 'demo-3', mykad: '780625085433', passport: null, email: 'rajesh.kumar@example.org', name: 'Rajesh a/l Kumar', phone: '+60167778899' },
  { id: 'demo-4', mykad: null, passport: 'A12345678', email: 'john.smith@example.net', name: 'John Smith', phone: '+60112223344' },
];

/** Inserts the demo accounts that are missing (idempotent: run on every start). Returns how many were added. */
export async function seedDemoAccounts(db: Kysely<DB>, now = Date.now()): Promise<number> {
  const at = new Date(now).toISOString();
  let added = 0;
  for (const a of DEMO_ACCOUNTS) {
    const result = await db
      .insertInto('legacy_accounts')
      .values({ ...a, email_lc: a.email.toLowerCase(), migrated_at: null, password_hash: null, created_at: at, updated_at: at })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

export interface HttpLegacyAccountsOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The real account service, by URL (LEGACY_ACCOUNTS_URL). */
export class HttpLegacyAccounts implements LegacyAccountDirectory {
  private readonly base: string;

  constructor(
    baseUrl: string,
    private readonly options: HttpLegacyAccountsOptions = {},
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<HttpResponse> {
    const res = await httpRequest({
      service: 'account service',
      url: `${this.base}${path}`,
      method,
      headers: { accept: 'application/json' },
      ...(body ? { json: body } : {}),
      timeoutMs: this.options.timeoutMs ?? 5000,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
    if (res.status >= 500 || (res.status >= 400 && res.status !== 404)) throw new Error(`account service answered ${res.status}`);
    return res;
  }

  async find(identifier: LegacyIdentifier): Promise<LegacyAccount | undefined> {
    const res = await this.call('POST', '/lookup', { kind: identifier.kind, value: identifier.value });
    return res.status === 404 ? undefined : parseAccount(parseJson(res, 'account service'));
  }

  async get(accountId: string): Promise<LegacyAccount | undefined> {
    const res = await this.call('GET', `/accounts/${encodeURIComponent(accountId)}`);
    return res.status === 404 ? undefined : parseAccount(parseJson(res, 'account service'));
  }

  async markMigrated(accountId: string, update: MigrationUpdate): Promise<void> {
    const res = await this.call('POST', `/accounts/${encodeURIComponent(accountId)}/migrate`, update);
    if (res.status === 404) throw new Error('legacy account not found');
  }

  /** A 404 or a JSON answer that is not a list: the directory cannot tell (decoys use the built-in mix). */
  async emailShapes(): Promise<EmailShapeCount[] | undefined> {
    const res = await this.call('GET', '/email-shapes');
    if (res.status === 404) return undefined;
    const json = parseJson(res, 'account service');
    if (!Array.isArray(json)) return undefined;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
    return json.flatMap((o: Record<string, unknown>) =>
      o && typeof o.initial === 'string' && typeof o.domain === 'string' && o.initial.length === 1
        ? [{ initial: o.initial, domain: o.domain.toLowerCase(), mykad: num(o.mykad), passport: num(o.passport) }]
        : [],
    );
  }
}

function parseAccount(json: unknown): LegacyAccount {
  if (typeof json !== 'object' || json === null) throw new Error('account service answered an account that is not an object');
  const o = json as Record<string, unknown>;
  if (typeof o.id !== 'string' || typeof o.email !== 'string' || typeof o.name !== 'string') {
    throw new Error('account service answered an account without id, email or name');
  }
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const phone = str(o.phone);
  const mykad = str(o.mykad);
  const passport = str(o.passport);
  return {
    id: o.id,
    email: o.email,
    name: o.name,
    ...(phone ? { phone } : {}),
    ...(mykad ? { mykad } : {}),
    ...(passport ? { passport } : {}),
    migrated: o.migrated === true,
  };
}
