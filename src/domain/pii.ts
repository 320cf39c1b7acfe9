/**
 * Redaction of personal data in free text, for logs, ticket transcripts and the unanswered-question log.
 *
 * Masked: e-mail addresses (maskEmail), MyKad-shaped numbers (maskMyKad: every 12-digit YYMMDD-PB-####
 * shape, valid or not, since a mistyped MyKad is still personal data), Malaysian mobile numbers
 * (maskPhone), other international numbers written with "+" and 8–15 digits, and passport numbers written
 * after the word "passport"/"pasport". Left alone: amounts ("RM58"), dates ("11 April 2026",
 * "2026-03-11", "11/3/2026"), ticket references ("TKT-20261122-7QF3"), short numbers.
 */
import { EMAIL_SHAPE_RE, maskEmail, parseEmail } from './email';
import { MYKAD_SHAPE_RE, maskMyKad, maskPassport } from './mykad';
import { PHONE_SHAPE_RE, maskPhone, parsePhone } from './phone';
import { bullets } from './result';

const INTL_RE = /(?<![\w+])\+(?:\d[\s-]?){7,14}\d(?![\w-])/g;
const PASSPORT_RE = /\b(pas(?:s)?port(?:\s+(?:no\.?|number|nombor|num))?\s*[:#]?\s*)([A-Za-z]{1,2}\d{6,9})\b/gi;

/** The text with every piece of personal data masked. Idempotent: redacting twice changes nothing more. */
export function redactPersonalData(text: string): string {
  if (!text) return text;
  let out = text.replace(EMAIL_SHAPE_RE, (m) => {
    const raw = m.replace(/[.-]+$/, '');
    const tail = m.slice(raw.length);
    return parseEmail(raw).ok ? maskEmail(raw) + tail : m;
  });
  out = out.replace(MYKAD_SHAPE_RE, (m) => maskMyKad(m));
  out = out.replace(PHONE_SHAPE_RE, (m) => (parsePhone(m).ok ? maskPhone(m) : m));
  out = out.replace(INTL_RE, (m) => {
    const d = m.replace(/\D/g, '');
    return `+${bullets(d.length - 2)}${d.slice(-2)}`;
  });
  out = out.replace(PASSPORT_RE, (_m, lead: string, num: string) => lead + maskPassport(num));
  return out;
}

/** true when the text contains personal data that redactPersonalData would mask. */
export function containsPersonalData(text: string): boolean {
  return redactPersonalData(text) !== text;
}
