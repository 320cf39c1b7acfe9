/**
 * No account enumeration in the migration procedure (issue 13, item 5). An identifier that no account has
 * (a MyKad or passport number) is shown a decoy masked address that cannot be told from a real one:
 *
 * - its shape (first character, first character of the domain, public suffix — all a masked address shows)
 *   is drawn from the directory's own mix of addresses, by identifier kind, so decoys have the domains and
 *   initials real answers have, in the same proportions;
 * - the draw is keyed by an HMAC of the identifier under a server secret (in the database, shared by every
 *   instance): the same identifier always shows the same decoy, and nobody without the secret can predict it;
 * - the draw is a weighted rendezvous ("exponential race": the shape with the least -ln(u)/weight wins,
 *   u uniform from the keyed hash), so when accounts are added and the mix shifts a little, only a few
 *   identifiers change decoy — asking again a week later does not reveal that an answer was made up.
 *
 * DecoyMailSink is where the unknown path writes the e-mail the known path would have queued: the same
 * statement on a table with the columns and indexes of the outbox (migration 0110), so both paths cost the
 * same; nothing reads it.
 */
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { maskEmail } from '../domain';
import { fmix32, fnv1a } from '../domain/hash';
import type { Logger } from '../logging';
import type { EmailShapeCount, IdentifierKind, LegacyAccountDirectory, LegacyIdentifier } from './legacyAccounts';
import { type MailOutboxTable, insertMailRow } from './mail/outbox';
import type { Db, MailOutbox, OutboundMail } from './ports';

declare module '../db/schema' {
  interface DB {
    migration_decoy_mail: MailOutboxTable;
  }
}

/** One masked address shape and how many accounts of the directory show it. */
interface Shape {
  masked: string;
  weight: number;
  /** A fixed 32-bit hash of `masked`. */
  hash: number;
}

export interface ShapeTable {
  mykad: Shape[];
  passport: Shape[];
}

/**
 * Below this many accounts of one kind, the decoys of that kind are drawn from every account with an
 * identifier (a handful of passport holders would otherwise give a handful of decoys).
 */
const MIN_PER_KIND = 50;

/**
 * The mix used only when the directory cannot describe itself (an account service without
 * GET /email-shapes): common Malaysian mail domains. Weaker than the directory's own mix; logged at start.
 */
export const FALLBACK_SHAPES: EmailShapeCount[] = (() => {
  const domains: Array<[string, number]> = [
    ['gmail.com', 40], ['yahoo.com', 12], ['hotmail.com', 8], ['outlook.com', 4], ['yahoo.com.my', 6],
    ['live.com.my', 2], ['icloud.com', 2], ['gov.my', 4], ['company.com.my', 10], ['mail.org', 2], ['net.net', 2],
  ];
  const initials = 'aaabcddefghhijjkkllmmmnnnoprrssstttuwyz';
  const out: EmailShapeCount[] = [];
  for (const [domain, w] of domains) for (const initial of initials) out.push({ initial, domain, mykad: w, passport: w / 4 });
  return out;
})();

/** The directory's counts as masked shapes, by kind. */
export function buildShapeTable(counts: EmailShapeCount[]): ShapeTable {
  const byKind = { mykad: new Map<string, number>(), passport: new Map<string, number>(), all: new Map<string, number>() };
  for (const c of counts) {
    if (!c.initial || !c.domain) continue;
    const masked = maskEmail(`${c.initial}x@${c.domain}`);
    if (!masked.includes('@')) continue;
    const add = (m: Map<string, number>, n: number) => n > 0 && m.set(masked, (m.get(masked) ?? 0) + n);
    add(byKind.mykad, c.mykad);
    add(byKind.passport, c.passport);
    add(byKind.all, c.mykad + c.passport);
  }
  const toShapes = (m: Map<string, number>): Shape[] =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([masked, weight]) => ({ masked, weight, hash: fnv1a(masked) }));
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const pick = (m: Map<string, number>) => (total(m) >= MIN_PER_KIND || total(byKind.all) === total(m) ? toShapes(m) : toShapes(byKind.all));
  return { mykad: pick(byKind.mykad), passport: pick(byKind.passport) };
}

/** The keyed draw: deterministic per (secret, identifier), weighted by the directory's mix. */
export function pickShape(shapes: Shape[], secret: Buffer, id: LegacyIdentifier): string | undefined {
  const key = createHmac('sha256', secret).update(`decoy\u0000${id.kind}\u0000${id.value.toLowerCase()}`).digest();
  const k0 = key.readUInt32LE(0);
  const k1 = key.readUInt32LE(4);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const s of shapes) {
    const u = (fmix32(fmix32(s.hash ^ k0) ^ k1) + 0.5) / 4294967296;
    const score = -Math.log(u) / s.weight;
    if (score < bestScore) {
      bestScore = score;
      best = s.masked;
    }
  }
  return best;
}

export interface DecoyShapesOptions {
  directory: LegacyAccountDirectory;
  secret: () => Promise<Buffer>;
  log: Logger;
  /** How long the directory's mix is kept before it is read again (default one hour). */
  refreshMs?: number;
  now?: () => number;
}

/**
 * The decoy of an identifier. The directory's mix is read once, then again in the background every
 * refreshMs; no lookup waits for it after the first, and known and unknown lookups both call decoyFor().
 */
export class DecoyShapes {
  private table: Promise<ShapeTable> | undefined;
  private loadedAt = 0;
  private refreshing = false;

  constructor(private readonly options: DecoyShapesOptions) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private load(): Promise<ShapeTable> {
    const { directory, log } = this.options;
    const started = this.now();
    return (directory.emailShapes ? directory.emailShapes() : Promise.resolve(undefined)).then((counts) => {
      this.loadedAt = started;
      const usable = counts && counts.some((c) => c.mykad + c.passport > 0);
      if (!usable) log.warn('the account directory gave no address mix: decoy addresses use a built-in mix');
      return buildShapeTable(usable ? counts : FALLBACK_SHAPES);
    });
  }

  async shapes(): Promise<ShapeTable> {
    if (!this.table) {
      const loading = this.load();
      this.table = loading;
      loading.catch(() => {
        if (this.table === loading) this.table = undefined;
      });
    } else if (!this.refreshing && this.now() - this.loadedAt > (this.options.refreshMs ?? 3_600_000)) {
      this.refreshing = true;
      const current = this.table;
      this.load().then(
        (t) => {
          this.table = Promise.resolve(t);
          this.refreshing = false;
        },
        (err: unknown) => {
          this.options.log.warn({ err }, 'could not refresh the address mix for decoys; keeping the last one');
          this.loadedAt = this.now();
          this.table = current;
          this.refreshing = false;
        },
      );
    }
    return this.table;
  }

  /** The masked decoy address of an identifier (MyKad or passport; an e-mail is shown as itself). */
  async decoyFor(id: LegacyIdentifier): Promise<string> {
    const [table, secret] = await Promise.all([this.shapes(), this.options.secret()]);
    const kind: Exclude<IdentifierKind, 'email'> = id.kind === 'passport' ? 'passport' : 'mykad';
    return pickShape(table[kind], secret, id) ?? maskEmail(id.kind === 'email' ? id.value : 'x@example.com');
  }
}

/** The unknown path's stand-in for the outbox: the same INSERT, on a table nothing delivers from. */
export class DecoyMailSink implements MailOutbox {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly options: { from: string; now?: () => number },
  ) {}

  async enqueue(mail: OutboundMail, db: Db = this.db): Promise<{ id: string; duplicate: boolean }> {
    return insertMailRow(db, 'migration_decoy_mail', this.options.from, mail, new Date((this.options.now ?? Date.now)()).toISOString());
  }
}
