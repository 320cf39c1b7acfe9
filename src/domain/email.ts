/**
 * E-mail addresses: pragmatic validation (not RFC 5322 complete), normalisation, masking.
 */
import { bullets } from './result';

export type EmailError =
  | 'empty'
  /** Contains whitespace. */
  | 'spaces'
  | 'missing-at'
  | 'several-at'
  /** Nothing before the @, or characters not allowed there, or dots misplaced. */
  | 'local-part'
  /** The domain has no dot ("ali@gmail"). */
  | 'missing-dot'
  /** Bad domain label or top-level domain. */
  | 'domain'
  /** Longer than 254 characters (or local part longer than 64). */
  | 'too-long';

export type EmailResult = { ok: true; value: string } | { ok: false; reason: EmailError };

const LOCAL_RE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Validate and normalise: trimmed, domain lower-cased (the local part keeps its case). */
export function parseEmail(text: string): EmailResult {
  const t = (text ?? '').trim();
  if (t === '') return { ok: false, reason: 'empty' };
  if (/\s/.test(t)) return { ok: false, reason: 'spaces' };
  if (t.length > 254) return { ok: false, reason: 'too-long' };
  const at = t.split('@');
  if (at.length < 2) return { ok: false, reason: 'missing-at' };
  if (at.length > 2) return { ok: false, reason: 'several-at' };
  const [local, rawDomain] = at;
  if (local.length > 64) return { ok: false, reason: 'too-long' };
  if (!LOCAL_RE.test(local)) return { ok: false, reason: 'local-part' };
  const domain = rawDomain.toLowerCase();
  if (domain === '') return { ok: false, reason: 'domain' };
  if (!domain.includes('.')) return { ok: false, reason: 'missing-dot' };
  const labels = domain.split('.');
  if (!labels.every((l) => LABEL_RE.test(l))) return { ok: false, reason: 'domain' };
  if (!/^[a-z]{2,63}$/.test(labels[labels.length - 1])) return { ok: false, reason: 'domain' };
  return { ok: true, value: `${local}@${domain}` };
}

/** The same address, ignoring case (for comparing a typed address with the registered one). */
export function sameEmail(a: string, b: string): boolean {
  const x = parseEmail(a);
  const y = parseEmail(b);
  return x.ok && y.ok && x.value.toLowerCase() === y.value.toLowerCase();
}

/**
 * An address-shaped run in free text. The parts are bounded by the limits of an address (RFC 5321: a local
 * part of 64 characters, labels of 63, and here at most 16 labels after the first) and a match starts only
 * where a run of address characters starts (the lookbehind), which bounds the cost: with "+" instead, every
 * position of a long run of letters or digits scanned the rest of the run, quadratic time in the length of a
 * message. The lookahead keeps a domain from being cut short. A local part of more than 64 characters, a
 * label of more than 63 or more labels: no match (no valid address either, as before).
 */
export const EMAIL_SHAPE_RE =
  /(?<![A-Za-z0-9!#$%&'*+/=?^_`{|}~.-])[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,16}(?!\.?[A-Za-z0-9-])/g;

export interface FoundEmail {
  index: number;
  text: string;
  value: string;
}

/** Every valid e-mail address in a sentence, in order (trailing punctuation is not part of it). */
export function findEmails(text: string): FoundEmail[] {
  const out: FoundEmail[] = [];
  for (const m of text.matchAll(EMAIL_SHAPE_RE)) {
    const raw = m[0].replace(/^[.]+/, '').replace(/[.-]+$/, '');
    const index = (m.index ?? 0) + m[0].indexOf(raw);
    const r = parseEmail(raw);
    if (r.ok) out.push({ index, text: raw, value: r.value });
  }
  return out;
}

// Second-level labels under which registrations are made (e.g. "gov.my", "co.uk"): kept visible.
const SECOND_LEVEL = new Set(['com', 'net', 'org', 'gov', 'edu', 'mil', 'co', 'ac', 'or', 'ne', 'go', 'biz', 'name']);

/**
 * "ali.baba@gmail.com" → "a••••@g••••.com"; "siti@jupem.gov.my" → "s••••@j••••.gov.my".
 * The first character of the local part and of the domain, four "•" each (the length is not revealed), and
 * the public suffix. Input that is not an address is fully hidden except its first character.
 */
export function maskEmail(text: string): string {
  const r = parseEmail(text);
  const t = (text ?? '').trim();
  // an address parseEmail does not take (a Unicode domain) is still masked in the same shape
  const parts = r.ok ? r.value.split('@') : t.split('@');
  if (!r.ok && (parts.length !== 2 || !parts[0] || !parts[1]!.includes('.'))) return t === '' ? '' : t[0] + bullets(4);
  const local = parts[0]!;
  const domain = parts[1]!.toLowerCase();
  const labels = domain.split('.');
  let suffixCount = 1;
  if (labels.length >= 3 && labels[labels.length - 1].length === 2 && SECOND_LEVEL.has(labels[labels.length - 2])) {
    suffixCount = 2;
  }
  const suffix = labels.slice(-suffixCount).join('.');
  return `${local[0]}${bullets(4)}@${domain[0]}${bullets(4)}.${suffix}`;
}
