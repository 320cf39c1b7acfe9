/**
 * Schema migrations: every file src/db/migrations/NNNN_name.ts exports
 * `up(db: Kysely<any>, engine: Engine): Promise<void>`; they run in name order at start-up, on both engines,
 * each once. Never edit a migration that has shipped: add the next number.
 * Table types live beside the feature that owns them and extend the `DB` interface of ./schema by module
 * augmentation (`declare module '../db/schema' { interface DB { my_table: MyTable } }`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import type { Engine } from './schema';

type Up = (db: Kysely<any>, engine: Engine) => Promise<void>;

/** The column type of an auto-increment integer id on each engine. */
export function autoId(engine: Engine): 'serial' | 'integer' {
  return engine === 'postgres' ? 'serial' : 'integer';
}

export function loadMigrations(engine: Engine, dir = path.join(__dirname, 'migrations')): Record<string, Migration> {
  const migrations: Record<string, Migration> = {};
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
  for (const file of files) {
    const name = file.replace(/\.(ts|js)$/, '');
    if (migrations[name]) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, file)) as { up?: Up };
    if (typeof mod.up !== 'function') throw new Error(`migration ${file} exports no up()`);
    const up = mod.up;
    migrations[name] = { up: (db) => up(db, engine) };
  }
  return migrations;
}

export async function migrate(db: Kysely<any>, engine: Engine): Promise<void> {
  // Kysely looks for its bookkeeping tables across every schema it can see; name ours, or another schema's
  // tables (another deployment on the same PostgreSQL database) would be taken for this one's.
  const schema =
    engine === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: { getMigrations: async () => loadMigrations(engine) },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`);
  }
}
