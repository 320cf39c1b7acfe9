/**
 * The subscriber directory: the record of one line (type, status, plan, unpaid bills, prepaid balance,
 * contract, earlier plan changes), as the eligibility check needs it.
 *
 * Two adapters: SQL (the bot's own database; demo lines are seeded outside production) and HTTP (a real
 * billing system at SUBSCRIBERS_URL: GET {url}/lines/{E.164} → 200 JSON LineRecord | 404).
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../config';
import type { DB } from '../db/schema';
import { addDays, type CalendarDate, fromIsoDate, toIsoDate } from '../domain/dates';
import type { LineRecord } from '../domain/eligibility';
import { maskPhone, parsePhone } from '../domain/phone';
import type { Logger } from '../logging';
import { httpRequest, parseJson } from './http/client';

export interface SubscriberDirectory {
  /** The line's record, or undefined when the number is not a line of ours. Throws when the directory is unreachable. */
  findLine(msisdn: string): Promise<LineRecord | undefined>;
}

interface SubscriberLinesTable {
  msisdn: string;
  line_type: string;
  status: string;
  plan_id: string;
  outstanding_sen: number | string;
  prepaid_balance_sen: number | string;
  under_contract: number;
  contract_penalty_sen: number | string | null;
  plan_changes: string;
  demo: number;
  updated_at: string;
}

declare module '../db/schema' {
  interface DB {
    subscriber_lines: SubscriberLinesTable;
  }
}

const isoDate = z.string().refine((s) => fromIsoDate(s).ok, 'must be a real date YYYY-MM-DD');

/** The wire (and storage) shape of a line: dates as ISO strings. */
export const lineRecordSchema = z.object({
  msisdn: z.string().refine((s) => parsePhone(s).ok, 'must be a Malaysian mobile number'),
  type: z.enum(['prepaid', 'postpaid']),
  status: z.enum(['active', 'suspended', 'terminated']),
  planId: z.string().min(1),
  outstandingSen: z.number().int().min(0),
  prepaidBalanceSen: z.number().int().min(0),
  underContract: z.boolean(),
  contractPenaltySen: z.number().int().min(0).optional(),
  planChanges: z.array(isoDate),
});

function toDate(iso: string): CalendarDate {
  const r = fromIsoDate(iso);
  if (!r.ok) throw new Error(`not a date: ${iso}`);
  return r.value;
}

function fromWire(data: unknown): LineRecord {
  const w = lineRecordSchema.parse(data);
  const msisdn = parsePhone(w.msisdn);
  const line: LineRecord = {
    msisdn: msisdn.ok ? msisdn.value : w.msisdn,
    type: w.type,
    status: w.status,
    planId: w.planId,
    outstandingSen: w.outstandingSen,
    prepaidBalanceSen: w.prepaidBalanceSen,
    underContract: w.underContract,
    planChanges: w.planChanges.map(toDate),
  };
  if (w.contractPenaltySen !== undefined) line.contractPenaltySen = w.contractPenaltySen;
  return line;
}

export class SqlSubscriberDirectory implements SubscriberDirectory {
  private seeded?: Promise<void>;

  /**
   * @param options.seedDemo  seed DEMO_LINES (upserted) before the first lookup
   * @param options.today     the date demo plan changes are placed around (default: today in Kuala Lumpur)
   */
  constructor(
    private readonly db: Kysely<DB>,
    private readonly options: { seedDemo?: boolean; today?: () => CalendarDate } = {},
  ) {}

  async findLine(msisdn: string): Promise<LineRecord | undefined> {
    await this.ready();
    const row = await this.db.selectFrom('subscriber_lines').selectAll().where('msisdn', '=', msisdn).executeTakeFirst();
    if (!row) return undefined;
    const line: LineRecord = {
      msisdn: row.msisdn,
      type: row.line_type as LineRecord['type'],
      status: row.status as LineRecord['status'],
      planId: row.plan_id,
      outstandingSen: Number(row.outstanding_sen),
      prepaidBalanceSen: Number(row.prepaid_balance_sen),
      underContract: Number(row.under_contract) === 1,
      planChanges: (JSON.parse(row.plan_changes) as string[]).map(toDate),
    };
    if (row.contract_penalty_sen !== null) line.contractPenaltySen = Number(row.contract_penalty_sen);
    return line;
  }

  /** Inserts or replaces a line (seeding, tests, an import). */
  async upsert(line: LineRecord, demo = false): Promise<void> {
    const values = {
      msisdn: line.msisdn,
      line_type: line.type,
      status: line.status,
      plan_id: line.planId,
      outstanding_sen: line.outstandingSen,
      prepaid_balance_sen: line.prepaidBalanceSen,
      under_contract: line.underContract ? 1 : 0,
      contract_penalty_sen: line.contractPenaltySen ?? null,
      plan_changes: JSON.stringify(line.planChanges.map(toIsoDate)),
      demo: demo ? 1 : 0,
      updated_at: new Date().toISOString(),
    };
    const { msisdn: _key, ...update } = values;
    await this.db
      .insertInto('subscriber_lines')
      .values(values)
      .onConflict((oc) => oc.column('msisdn').doUpdateSet(update))
      .execute();
  }

  private ready(): Promise<void> {
    if (!this.options.seedDemo) return Promise.resolve();
    this.seeded ??= (async () => {
      const today = this.options.today?.() ?? todayKL();
      for (const line of demoLines(today)) await this.upsert(line, true);
    })().catch((err: unknown) => {
      this.seeded = undefined;
      throw err;
    });
    return this.seeded;
  }
}

function todayKL(): CalendarDate {
  const t = new Date(Date.now() + 8 * 3_600_000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export interface HttpSubscriberOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  log?: Logger;
}

/** GET {baseUrl}/lines/{E.164}: 200 with a LineRecord (ISO dates), 404 when the number is not a line. */
export class HttpSubscriberDirectory implements SubscriberDirectory {
  private readonly fetch: typeof fetch;

  constructor(
    private readonly baseUrl: string,
    private readonly options: HttpSubscriberOptions = {},
  ) {
    this.fetch = options.fetch ?? fetch;
  }

  async findLine(msisdn: string): Promise<LineRecord | undefined> {
    const res = await httpRequest({
      service: 'subscriber directory',
      url: `${this.baseUrl.replace(/\/+$/, '')}/lines/${encodeURIComponent(msisdn)}`,
      headers: { accept: 'application/json' },
      timeoutMs: this.options.timeoutMs ?? 5000,
      fetch: this.fetch,
    });
    if (res.status === 404) return undefined;
    if (!res.ok) {
      this.options.log?.warn({ status: res.status, line: maskPhone(msisdn) }, 'subscriber directory answered with an error');
      throw new Error(`subscriber directory: HTTP ${res.status}`);
    }
    return fromWire(parseJson(res, 'subscriber directory'));
  }
}

/** The directory chosen by configuration: HTTP when SUBSCRIBERS_URL is set, else the SQL table (demo lines seeded outside production). */
export function createSubscriberDirectory(
  config: Pick<Config, 'SUBSCRIBERS_URL' | 'seedDemoData'>,
  db: Kysely<DB>,
  log: Logger,
  today?: () => CalendarDate,
): SubscriberDirectory {
  if (config.SUBSCRIBERS_URL) return new HttpSubscriberDirectory(config.SUBSCRIBERS_URL, { log });
  return new SqlSubscriberDirectory(db, { seedDemo: config.seedDemoData, today });
}

/** A demo line with what it shows. */
export interface DemoLine extends LineRecord {
  /** What the line demonstrates (for the README and tests). */
  shows: string;
}

/**
 * The demo lines (fictitious numbers, seeded outside production). Plan changes are placed relative to the
 * seeding day so the switch-limit examples stay true.
 */
export function demoLines(today: CalendarDate): DemoLine[] {
  const base = { outstandingSen: 0, prepaidBalanceSen: 0, underContract: false, planChanges: [] as CalendarDate[] };
  return [
    { ...base, msisdn: '+60121000001', type: 'postpaid', status: 'active', planId: 'digi-postpaid-58', planChanges: [addDays(today, -60)], shows: 'postpaid, every condition met' },
    { ...base, msisdn: '+60121000002', type: 'postpaid', status: 'active', planId: 'digi-postpaid-58', outstandingSen: 4520, shows: 'postpaid with an unpaid bill of RM45.20' },
    { ...base, msisdn: '+60121000003', type: 'postpaid', status: 'suspended', planId: 'digi-postpaid-80', shows: 'postpaid, suspended line' },
    { ...base, msisdn: '+60121000004', type: 'postpaid', status: 'active', planId: 'digi-postpaid-80', planChanges: [addDays(today, -20), addDays(today, -3)], shows: 'postpaid, two plan changes within the month' },
    { ...base, msisdn: '+60121000005', type: 'postpaid', status: 'active', planId: 'digi-postpaid-80', underContract: true, contractPenaltySen: 30000, shows: 'postpaid under contract (penalty RM300.00 on a switch to prepaid)' },
    { ...base, msisdn: '+60121000006', type: 'postpaid', status: 'active', planId: 'demo-postpaid-40-legacy', shows: 'postpaid on a plan no longer offered' },
    { ...base, msisdn: '+60131000001', type: 'prepaid', status: 'active', planId: 'demo-prepaid-30', prepaidBalanceSen: 5000, shows: 'prepaid, balance RM50.00, every condition met' },
    { ...base, msisdn: '+60131000002', type: 'prepaid', status: 'active', planId: 'demo-prepaid-30', prepaidBalanceSen: 1000, shows: 'prepaid, balance RM10.00 (not enough for another prepaid plan)' },
    { ...base, msisdn: '+60131000003', type: 'prepaid', status: 'active', planId: 'demo-prepaid-30', prepaidBalanceSen: 15000, shows: 'prepaid, balance RM150.00 (RM100.00 carried over to postpaid)' },
    { ...base, msisdn: '+60131000004', type: 'prepaid', status: 'terminated', planId: 'demo-prepaid-30', prepaidBalanceSen: 5000, shows: 'prepaid, terminated line' },
    { ...base, msisdn: '+60131000005', type: 'prepaid', status: 'active', planId: 'demo-prepaid-35', prepaidBalanceSen: 8000, planChanges: [addDays(today, -10), addDays(today, -1)], shows: 'prepaid, two plan changes within the month' },
  ];
}
