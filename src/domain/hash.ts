/**
 * Small non-cryptographic hashes shared by the recogniser's training order and the migration's decoy addresses.
 * Written here, not taken from a library: each is a few lines of integer arithmetic that must give the same 32 bits on
 * every machine and release (a library's default seed or algorithm may change), and neither needs more.
 */

/** FNV-1a's offset basis: the state of a hash folded value by value with fnv1aStep, before the first. */
export const FNV1A_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** One step of FNV-1a: the hash so far with one more 32-bit value folded in. */
export function fnv1aStep(h: number, x: number): number {
  return Math.imul(h ^ x, FNV_PRIME) >>> 0;
}

/** FNV-1a over a string's UTF-16 code units. */
export function fnv1a(text: string): number {
  let h = FNV1A_OFFSET;
  for (let i = 0; i < text.length; i++) h = fnv1aStep(h, text.charCodeAt(i));
  return h;
}

/** murmur3's 32-bit finaliser: a fast bijective mix in which every input bit moves about half of the output's. */
export function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
