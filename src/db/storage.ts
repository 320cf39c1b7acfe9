/**
 * A botbuilder Storage on the project database (SQLite or PostgreSQL), with the eTag semantics of
 * botbuilder's MemoryStorage:
 * - an item with no eTag, or eTag "*", is written unconditionally;
 * - an item with a specific eTag is written only if the stored row still has that eTag (a new key is
 *   written whatever the eTag); otherwise the write fails with the standard conflict error;
 * - a write of several keys is one transaction: all or nothing.
 * After a successful write each written item carries its new eTag, so a later write in the same turn is
 * checked against what this process wrote.
 */
import { randomBytes } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { CompiledQuery, type Kysely } from 'kysely';
import type { DB } from './schema';

export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    // the same text as botbuilder's MemoryStorage, so callers can treat every Storage alike
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'ETagConflictError';
  }
}

/** True for the conflict error of any botbuilder Storage (ours, MemoryStorage, Cosmos's 412). */
export function isETagConflict(err: unknown): boolean {
  if (err instanceof ETagConflictError) return true;
  const e = err as { message?: unknown; code?: unknown; statusCode?: unknown } | null;
  return (
    !!e &&
    ((typeof e.message === 'string' && /eTag conflict/i.test(e.message)) || e.statusCode === 412 || e.code === 412)
  );
}

const newETag = (): string => randomBytes(9).toString('base64url');

type StateRow = { key: string; doc: string; etag: string };

export class SqlStorage implements Storage {
  /** The read, compiled once per number of keys (every turn reads; building the query cost more than running it). */
  private readonly readSql = new Map<number, string>();

  constructor(private readonly db: Kysely<DB>) {}

  private readQuery(keys: string[]): CompiledQuery<StateRow> {
    let text = this.readSql.get(keys.length);
    if (text === undefined) {
      text = this.db.selectFrom('bot_state').select(['key', 'doc', 'etag']).where('key', 'in', keys).compile().sql;
      if (keys.length <= 16) this.readSql.set(keys.length, text);
    }
    return CompiledQuery.raw(text, keys) as CompiledQuery<StateRow>;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const unique = [...new Set(keys)];
    if (unique.length === 0) return {};
    const rows = (await this.db.executeQuery<StateRow>(this.readQuery(unique))).rows;
    const items: StoreItems = {};
    for (const row of rows) {
      items[row.key] = { ...(JSON.parse(row.doc) as object), eTag: row.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const keys = Object.keys(changes);
    if (keys.length === 0) return;
    const now = new Date().toISOString();
    const written: Array<[string, string]> = [];
    await this.db.transaction().execute(async (trx) => {
      for (const key of keys) {
        const item = changes[key] as { eTag?: string } & Record<string, unknown>;
        const { eTag, ...rest } = item ?? {};
        const doc = JSON.stringify(rest);
        const etag = newETag();
        if (eTag === undefined || eTag === null || eTag === '*' || eTag === '') {
          await trx
            .insertInto('bot_state')
            .values({ key, doc, etag, updated_at: now })
            .onConflict((oc) => oc.column('key').doUpdateSet({ doc, etag, updated_at: now }))
            .execute();
        } else {
          const updated = await trx
            .updateTable('bot_state')
            .set({ doc, etag, updated_at: now })
            .where('key', '=', key)
            .where('etag', '=', String(eTag))
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) === 0) {
            const inserted = await trx
              .insertInto('bot_state')
              .values({ key, doc, etag, updated_at: now })
              .onConflict((oc) => oc.column('key').doNothing())
              .executeTakeFirst();
            if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new ETagConflictError(key);
          }
        }
        written.push([key, etag]);
      }
    });
    for (const [key, etag] of written) {
      const item = changes[key];
      if (item && typeof item === 'object') item.eTag = etag;
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    if (keys.length === 0) return;
    await this.db.deleteFrom('bot_state').where('key', 'in', keys).execute();
  }
}
