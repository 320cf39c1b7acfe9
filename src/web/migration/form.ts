/**
 * The migration form's submit: validated with zod (name, phone, e-mail, a password meeting the stated
 * policy), the password stored as an scrypt hash with a random salt.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { parseEmail, parsePhone } from '../../domain';
import { type PasswordContext, passwordProblem } from './password';

/**
 * The policy stated on the form (migration.page.hint.password): 10–128 characters, a letter and a digit; and
 * (./password.ts) not a common password, not an obvious pattern, nothing of the customer's own details.
 */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export type FieldName = 'name' | 'phone' | 'email' | 'password' | 'password_confirm';

export const migrationFormSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(2, 'migration.form.error.name')
      .max(100, 'migration.form.error.name')
      .regex(/^[\p{L}\p{M}][\p{L}\p{M} .,'@/()-]*$/u, 'migration.form.error.name'),
    phone: z.string().transform((v, ctx) => {
      const r = parsePhone(v);
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: 'migration.form.error.phone' });
        return z.NEVER;
      }
      return r.value;
    }),
    email: z.string().transform((v, ctx) => {
      const r = parseEmail(v);
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: 'migration.form.error.email' });
        return z.NEVER;
      }
      return r.value;
    }),
    password: z
      .string()
      .min(PASSWORD_MIN, 'migration.form.error.password')
      .max(PASSWORD_MAX, 'migration.form.error.password')
      .regex(/\p{L}/u, 'migration.form.error.password')
      .regex(/\d/, 'migration.form.error.password'),
    password_confirm: z.string(),
  })
  .superRefine((v, ctx) => {
    if (v.password !== v.password_confirm) ctx.addIssue({ code: 'custom', path: ['password_confirm'], message: 'migration.form.error.confirm' });
  });

export type MigrationForm = z.output<typeof migrationFormSchema>;

/**
 * The submitted values, or for each wrong field the catalog key of its error. `account`: what the old
 * account holds (its name, e-mail and identifiers), which a new password must not contain.
 */
export function validateMigrationForm(
  body: unknown,
  account: PasswordContext = {},
): { ok: true; value: MigrationForm } | { ok: false; errors: Partial<Record<FieldName, string>> } {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const pick = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : '');
  const parsed = migrationFormSchema.safeParse({
    name: pick('name'),
    phone: pick('phone'),
    email: pick('email'),
    password: pick('password'),
    password_confirm: pick('password_confirm'),
  });
  const errors: Partial<Record<FieldName, string>> = {};
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = String(issue.path[0] ?? '') as FieldName;
    if (field && !errors[field]) errors[field] = issue.message;
  }
  if (!errors.password) {
    const problem = passwordProblem(pick('password'), {
      names: [...(account.names ?? []), pick('name')],
      emails: [...(account.emails ?? []), pick('email')],
      numbers: [...(account.numbers ?? []), pick('phone')],
    });
    if (problem) errors.password = problem;
  }
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, value: parsed.data };
  return { ok: false, errors };
}

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scrypt(password: string, salt: Buffer, keylen: number, opts: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, keylen, { ...opts, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** "scrypt$N$r$p$salt$hash" (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(key, expected);
}
