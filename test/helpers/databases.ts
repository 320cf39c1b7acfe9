/**
 * The database engines a storage test runs on: SQLite always; PostgreSQL when TEST_DATABASE_URL is set
 * (.ci/run points it at the local server). Each PostgreSQL test database gets a schema of its own, named
 * with the run's prefix and dropped after the run, so tests never see each other's rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { type Database, type DatabaseTarget, openDatabase } from '../../src/db';

export interface TestDatabase {
  database: Database;
  target: DatabaseTarget;
  schema?: string;
  /** Opens the same database again (another "process" or a restart). */
  reopen(): Promise<Database>;
  dispose(): Promise<void>;
}

export const pgUrl = process.env.TEST_DATABASE_URL;
let warned = false;

/** The engines to run on, as jest `describe.each` rows. */
export function engines(): Array<['sqlite' | 'postgres']> {
  if (!pgUrl && !warned) {
    warned = true;
    // eslint-disable-next-line no-console
    console.warn('PostgreSQL storage tests skipped: TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)');
  }
  return pgUrl ? [['sqlite'], ['postgres']] : [['sqlite']];
}

export async function openTestDatabase(engine: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-db-'));
    const target: DatabaseTarget = { kind: 'sqlite', file: path.join(dir, 'bot.sqlite') };
    const opened: Database[] = [await openDatabase(target)];
    return {
      database: opened[0]!,
      target,
      async reopen() {
        const d = await openDatabase(target);
        opened.push(d);
        return d;
      },
      async dispose() {
        for (const d of opened) await d.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!pgUrl) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `${process.env.TEST_SCHEMA_PREFIX ?? 't_'}${randomBytes(6).toString('hex')}`;
  const target: DatabaseTarget = { kind: 'postgres', url: pgUrl };
  const opened: Database[] = [await openDatabase(target, { schema })];
  return {
    database: opened[0]!,
    target,
    schema,
    async reopen() {
      const d = await openDatabase(target, { schema });
      opened.push(d);
      return d;
    },
    async dispose() {
      // the schema itself is dropped after the whole run (test/helpers/pg-global.js)
      for (const d of opened) await d.close();
    },
  };
}
