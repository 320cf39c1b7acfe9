/**
 * Malaysian mobile numbers: any usual form to E.164, search in text, masking.
 *
 * Mobile prefixes 010–019 except 015 (015 is IP telephony, not a mobile line). After the prefix: 8 digits
 * for 011 (011-1234 5678), 7 digits for the others (012-345 6789). Accepted forms: "012-345 6789",
 * "0123456789", "+60 12-345 6789", "60123456789", "+6012 3456789", "(012) 345-6789", "6012-3456789".
 */
import { findEmails } from './email';
import { bullets } from './result';
import { hasLongSeparatorRun } from './separators';

export type PhoneError =
  | 'empty'
  /** Characters other than digits, spaces, dashes, dots, brackets and a leading "+". */
  | 'format'
  /** Another country code. */
  | 'not-malaysian'
  /** A Malaysian number that is not a mobile number (landline, 015). */
  | 'not-mobile'
  /** Wrong number of digits for the prefix. */
  | 'length';

export type PhoneResult = { ok: true; value: string } | { ok: false; reason: PhoneError };

const MOBILE_PREFIXES = new Set(['10', '11', '12', '13', '14', '16', '17', '18', '19']);

/** Normalise a Malaysian mobile number to E.164 ("+60123456789"), or say what is wrong. */
export function parsePhone(text: string): PhoneResult {
  const t = (text ?? '').trim();
  if (t === '') return { ok: false, reason: 'empty' };
  if (!/^\+?[\d\s\-.()]+$/.test(t) || hasLongSeparatorRun(t)) return { ok: false, reason: 'format' };
  const plus = t.startsWith('+');
  const digits = t.replace(/\D/g, '');
  let national: string;
  if (plus || (digits.startsWith('60') && !digits.startsWith('0'))) {
    if (!digits.startsWith('60')) return { ok: false, reason: 'not-malaysian' };
    national = digits.slice(2);
    if (national.startsWith('0')) national = national.slice(1); // "+60 012-..." written with the trunk 0
  } else if (digits.startsWith('0')) {
    national = digits.slice(1);
  } else if (digits.startsWith('1')) {
    national = digits; // "123456789" without the trunk 0
  } else {
    return { ok: false, reason: 'not-mobile' };
  }
  const prefix = national.slice(0, 2);
  if (!national.startsWith('1') || !MOBILE_PREFIXES.has(prefix)) {
    return { ok: false, reason: national.length < 2 ? 'length' : 'not-mobile' };
  }
  const expected = prefix === '11' ? 10 : 9;
  if (national.length !== expected) return { ok: false, reason: 'length' };
  return { ok: true, value: `+60${national}` };
}

// Candidates in free text: +60 / 60 / 0, then 11 and 8 digits or another mobile prefix and 7 digits, with
// optional separators; "(012) 345 6789" too.
export const PHONE_SHAPE_RE =
  /(?<![\w+\-/.])(?:(?:\+\s?|\b)60[\s-]?|0|\(0?(?=1\d\)))(?:11\)?(?:[\s\-.]?\d){8}|1[02-46-9]\)?(?:[\s\-.]?\d){7})(?![\w\-/]|\.\d)/g;

export interface FoundPhone {
  index: number;
  text: string;
  /** E.164 */
  value: string;
}

/** Every valid Malaysian mobile number in a sentence, in order. */
export function findPhones(text: string): FoundPhone[] {
  const out: FoundPhone[] = [];
  for (const m of text.matchAll(PHONE_SHAPE_RE)) {
    const r = parsePhone(m[0]);
    if (r.ok) out.push({ index: m.index ?? 0, text: m[0], value: r.value });
  }
  return out;
}

/** The first valid Malaysian mobile number in a sentence, or undefined. */
export function findPhone(text: string): FoundPhone | undefined {
  return findPhones(text)[0];
}

/**
 * Words that give the number after them as the customer's contact ("contact me at 012-…", "you can reach me on this
 * number, 012-…", "hubungi sy di 013-…", "call me at …", "email me at …"): a way to reach them, not a line to check.
 */
export const CONTACT_ME = /\b(?:reach|call|contact|text|whatsapp|wasap|message|msg|ring|email|e-mail|mail)\s+(?:me|us)\b|\b(?:hubungi|call|contact|telefon|tel|whatsapp|wasap|mesej)\s+(?:sy|saya|aku|kami)\b/i;
const CONTACT_BEFORE = new RegExp(`(?:${CONTACT_ME.source})[^.!?\\d]{0,25}$`, 'i');

/** "this number", "this whatsapp number", "nombor ni", "no wasap ni": the number the customer writes from. */
const THIS_NUMBER = /\b(?:this|same)\s+(?:whatsapp\s+|wasap\s+|phone\s+)?(?:number|no)\b|\b(?:nombor|nmbr|no)\s+(?:whatsapp\s+|wasap\s+|tel\s+|telefon\s+|phone\s+)?(?:ni|ini|yang\s+ni|yg\s+ni)\b/i;

/** Words before a number that give it as a way to reach the customer ("no tel sy", "this number", "hubungi nombor ni"). */
const CONTACT_WORD_BEFORE = /\b(?:no\.?\s*(?:tel|telefon|hp|fon|phone)|nombor|number|phone|telefon|handphone|hp|hubungi|call|contact|reach|whatsapp|wasap|sms)\b[^.!?\d]{0,25}$/i;

/**
 * Whether a message gives the customer's contact: an e-mail address, or a mobile number said to be one ("call me at
 * 013-…", "this number, 013-…", "no tel sy 012-…") or given with at most three other words ("0131000001"). A number
 * in a story ("my line 012-100 0002 kena caj 2 kali") is not one. With `channelNumber` (the channel vouches for the
 * sender's number), "this number" points at it.
 */
export function givesContact(text: string, channelNumber = false): boolean {
  const t = text.slice(0, 500);
  if (findEmails(t).length > 0) return true;
  const phones = findPhones(t);
  // where the channel vouches for the sender's number (WhatsApp), pointing at it is giving it ("you can reach me on this
  // whatsapp number", "hubungi sy kat nombor ni")
  if (phones.length === 0) return channelNumber && (CONTACT_ME.test(t) || THIS_NUMBER.test(t));
  if (CONTACT_ME.test(t)) return true;
  if (phones.some((p) => CONTACT_WORD_BEFORE.test(t.slice(Math.max(0, p.index - 40), p.index)))) return true;
  let rest = t;
  for (const p of phones) rest = rest.replace(p.text, ' ');
  return (rest.match(/\p{L}+/gu) ?? []).length <= 3;
}

/** The first number in the text that is not given as the customer's contact (CONTACT_BEFORE). */
export function findLinePhone(text: string): FoundPhone | undefined {
  return findPhones(text).find((p) => !CONTACT_BEFORE.test(text.slice(Math.max(0, p.index - 60), p.index)));
}

/**
 * "+60123456789" → "+6012•••••89": country code and operator prefix, the last two digits; the rest hidden.
 * Input in any form parsePhone accepts; anything else keeps only its last two digits.
 */
export function maskPhone(text: string): string {
  const r = parsePhone(text);
  if (r.ok) {
    const n = r.value; // +60 + national
    return `${n.slice(0, 5)}${bullets(n.length - 7)}${n.slice(-2)}`;
  }
  const d = text.replace(/\D/g, '');
  return d.length > 4 ? bullets(d.length - 2) + d.slice(-2) : bullets(d.length);
}
