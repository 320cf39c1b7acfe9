/**
 * Characters in customer text that must not reach storage raw, or staff screens unescaped.
 *
 * Two jobs, one list of characters:
 * - `cleanInboundText`: once, where a turn's text enters the bot (src/bot/turn.ts), for every channel. NUL
 *   cannot be stored in a PostgreSQL text column; a lone UTF-16 surrogate cannot be encoded as UTF-8 (PostgreSQL
 *   refuses it, and XML and strict JSON consumers reject it); the other C0 controls and U+FFFE/U+FFFF are not
 *   allowed in XML 1.0 (mail, Teams cards) and carry no meaning in a chat message. They are removed (lone
 *   surrogates become U+FFFD, so the customer's "something was there" stays visible); tab and line breaks stay.
 * - `escapeForStaff`: in every staff-facing output (the tickets and unanswered CLIs, the support e-mail's text
 *   part) so a customer cannot drive a staff member's terminal: C0 controls (ESC included), CR, DEL, C1
 *   controls (U+0080–U+009F, U+009B is an 8-bit CSI), bidirectional overrides and isolates (U+202A–U+202E,
 *   U+2066–U+2069, which reorder what is shown), and invisible characters (zero-width spaces and joiners,
 *   U+2028/U+2029, the BOM, soft hyphen) are shown as visible `\u{XXXX}` escapes.
 *   `jsonForStaff` does the same for JSON: the characters are written as `\uXXXX` JSON escapes, so the parsed
 *   value is unchanged while the bytes on the wire cannot move a cursor or reorder a line.
 *
 * Hand-written rather than a library: the packages that strip ANSI sequences (strip-ansi and the like) only
 * remove well-formed escape sequences and leave C1, bidi and zero-width characters alone; this is a fixed
 * list of code points, which a regular expression states exactly.
 */

/** Removed at intake: NUL and C0 except TAB/LF/CR, and the XML non-characters U+FFFE/U+FFFF. */
const INBOUND_REMOVE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Customer text as it may be stored and passed on: no NUL, no lone surrogate, no control but TAB and line breaks (CR LF and lone CR become LF). */
export function cleanInboundText(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(INBOUND_REMOVE, '')
    .replace(/\r\n?/g, '\n');
}

/**
 * Dangerous on a terminal or a rendered line. TAB and LF are excluded here and handled by the `multiline`
 * switch; everything else is always escaped (CR too: it lets a later part of a line overwrite an earlier one).
 */
const STAFF_UNSAFE =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF\uFFF9-\uFFFB]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const visible = (ch: string) => `\\u{${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}}`;

export interface StaffEscapeOptions {
  /** Keep LF and TAB as they are (a multi-line description); otherwise they are escaped too (one-line fields, table cells). */
  multiline?: boolean;
}

/** Customer text made safe to print for staff: every control, bidi or invisible character shown as `\u{XXXX}`. */
export function escapeForStaff(text: string, options: StaffEscapeOptions = {}): string {
  const escaped = text.replace(STAFF_UNSAFE, visible);
  return options.multiline ? escaped : escaped.replace(/[\n\t]/g, visible);
}

/** true when the text holds nothing `escapeForStaff` (multi-line) would change. */
export function isStaffSafe(text: string, options: StaffEscapeOptions = {}): boolean {
  return escapeForStaff(text, options) === text;
}

/** JSON.stringify, with every character `escapeForStaff` escapes written as a JSON `\uXXXX` escape (same value once parsed). */
export function jsonForStaff(value: unknown, space?: number): string {
  const json = JSON.stringify(value, null, space);
  // outside strings JSON has only ASCII structure and whitespace, so every match is inside a string literal
  return json.replace(STAFF_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
