/**
 * Issue 13, items 11 and 12: customer text cleaned at intake (no NUL, no lone surrogate, no stray control) and
 * escaped in every staff-facing output (no raw escape sequence, C1, bidi override or invisible character).
 */
import { cleanInboundText, escapeForStaff, isStaffSafe, jsonForStaff } from '../../src/domain/controlChars';
import { HOSTILE } from '../fixtures/hostileText';

const ESC = '\u001b';
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]|[\uD800-\uDFFF]/;

describe('escapeForStaff', () => {
  test.each(HOSTILE)('leaves no raw control, bidi or invisible character: %j', (text) => {
    for (const multiline of [false, true]) {
      const out = escapeForStaff(text, { multiline });
      expect(UNSAFE.test(out)).toBe(false);
      expect(isStaffSafe(out, { multiline })).toBe(true);
      // idempotent: escaping twice changes nothing more
      expect(escapeForStaff(out, { multiline })).toBe(out);
    }
  });

  test('shows what was there, visibly', () => {
    expect(escapeForStaff(`${ESC}[2J`)).toBe('\\u{001B}[2J');
    expect(escapeForStaff('invoice \u202Efdp.exe')).toBe('invoice \\u{202E}fdp.exe');
    expect(escapeForStaff('a\rb')).toBe('a\\u{000D}b');
    expect(escapeForStaff('\u009b')).toBe('\\u{009B}');
  });

  test('line breaks and tabs: kept in multi-line text, escaped in one-line fields', () => {
    expect(escapeForStaff('a\nb\tc', { multiline: true })).toBe('a\nb\tc');
    expect(escapeForStaff('a\nb\tc')).toBe('a\\u{000A}b\\u{0009}c');
    expect(escapeForStaff('a\r\nb', { multiline: true })).toBe('a\\u{000D}\nb');
  });

  test('ordinary text in both languages, emoji and accents pass unchanged', () => {
    for (const text of ['Saya dicaj dua kali untuk bil Mac (RM58.00)', 'Café — naïve “quotes” 😀 👍🏽', 'Tan Wei Ming 陈伟明', 'عربي', 'a\\u{001B}b']) {
      expect(escapeForStaff(text, { multiline: true })).toBe(text);
    }
  });
});

describe('jsonForStaff', () => {
  test.each(HOSTILE)('the same value once parsed, no unsafe character on the wire: %j', (text) => {
    const value = { text, nested: [{ text }] };
    const json = jsonForStaff(value, 2);
    expect(UNSAFE.test(json)).toBe(false);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(value)));
  });
});

describe('cleanInboundText', () => {
  test('removes NUL and the C0 controls, keeps tab and line breaks (CR LF becomes LF)', () => {
    expect(cleanInboundText('a\u0000b')).toBe('ab');
    expect(cleanInboundText(`x${ESC}[2Jy\u0007`)).toBe('x[2Jy');
    expect(cleanInboundText('a\tb\r\nc\rd\ne')).toBe('a\tb\nc\nd\ne');
    expect(cleanInboundText('\uFFFE\uFFFF')).toBe('');
  });

  test('replaces lone surrogates with U+FFFD and keeps real pairs (emoji)', () => {
    expect(cleanInboundText('a\uD800b\uDC00c')).toBe('a\uFFFDb\uFFFDc');
    expect(cleanInboundText('end\uD83D')).toBe('end\uFFFD');
    expect(cleanInboundText('😀 ok')).toBe('😀 ok');
    expect(cleanInboundText('\uD83D\uDE00')).toBe('😀');
  });

  test('the result can be encoded as UTF-8 and back unchanged (what PostgreSQL and XML need)', () => {
    for (const text of HOSTILE) {
      const clean = cleanInboundText(text);
      expect(clean).not.toContain('\u0000');
      expect(Buffer.from(clean, 'utf8').toString('utf8')).toBe(clean);
      expect(cleanInboundText(clean)).toBe(clean);
    }
  });
});
