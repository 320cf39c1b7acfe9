/**
 * PostgreSQL test schemas: every test database lives in a schema named with this run's prefix; they are
 * dropped once, after the whole run. (Dropping them while other test files run makes PostgreSQL's catalogue
 * queries, such as Kysely's introspection during migrations, fail on a schema vanishing under them.)
 */
const crypto = require('node:crypto');

async function dropRunSchemas(prefix) {
  const url = process.env.TEST_DATABASE_URL;
  if (!url || !prefix) return;
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('select nspname from pg_namespace where starts_with(nspname, $1)', [prefix]);
    for (const r of rows) await client.query(`drop schema if exists "${r.nspname}" cascade`);
  } finally {
    await client.end();
  }
}

module.exports = {
  setup: async () => {
    process.env.TEST_SCHEMA_PREFIX = `t${crypto.randomBytes(3).toString('hex')}_`;
  },
  teardown: async () => dropRunSchemas(process.env.TEST_SCHEMA_PREFIX),
};
