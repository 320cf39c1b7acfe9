/**
 * The advisories recorded in security/advisories.json (SECURITY.md says how they are found while `npm audit`
 * cannot reach an advisory service) must not match any package version the lockfile installs.
 */
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';

interface Advisory {
  package: string;
  id: string;
  vulnerable: string;
}

const root = path.join(__dirname, '../..');
const record = JSON.parse(fs.readFileSync(path.join(root, 'security/advisories.json'), 'utf8')) as { advisories: Advisory[] };
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string }>;
};

/** Every installed copy of a package: its path in the tree and its version. */
function installed(name: string): Array<{ at: string; version: string }> {
  return Object.entries(lock.packages)
    .filter(([at, p]) => p.version && at.endsWith(`node_modules/${name}`))
    .map(([at, p]) => ({ at, version: p.version! }));
}

describe('recorded security advisories', () => {
  test('the record is well formed', () => {
    expect(record.advisories.length).toBeGreaterThan(0);
    for (const a of record.advisories) {
      expect(a.id).toMatch(/^(GHSA(-[23456789cfghjmpqrvwx]{4}){3}|CVE-\d{4}-\d{4,})$/);
      expect(semver.validRange(a.vulnerable)).not.toBeNull();
    }
  });

  test.each(record.advisories.map((a) => [a.id, a.package, a] as const))('%s (%s): no installed copy is in the vulnerable range', (_id, _pkg, a) => {
    const copies = installed(a.package);
    const vulnerable = copies.filter((c) => semver.satisfies(c.version, a.vulnerable));
    expect(vulnerable).toEqual([]);
  });

  test('the check itself sees a vulnerable version (the range logic is live)', () => {
    expect(semver.satisfies('7.0.13', '<8.0.5')).toBe(true);
    expect(installed('nodemailer').length).toBeGreaterThan(0);
  });
});
