/**
 * The shape every fallible domain function returns: a value, or a typed reason the dialog turns into a
 * re-prompt from the message catalog. Domain functions never throw on user input and never return NaN.
 */
export type Ok<T> = { ok: true; value: T };
export type Err<R extends string> = { ok: false; reason: R };
export type Result<T, R extends string> = Ok<T> | Err<R>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err<R extends string>(reason: R): Err<R> {
  return { ok: false, reason };
}

/** The character used for every hidden character of masked personal data. */
export const MASK_CHAR = '\u2022';

/** `n` mask characters. */
export function bullets(n: number): string {
  return MASK_CHAR.repeat(Math.max(0, n));
}
