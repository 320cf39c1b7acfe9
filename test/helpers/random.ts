/**
 * Seeded random content for hostile-input tests (a failure reproduces with the seed it prints): mulberry32, a
 * small deterministic PRNG, and the pieces both the fuzz and the text-cost tests draw from. Random letters,
 * never one repeated character: typo correction and stemming must see real work.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class RandomText {
  constructor(readonly rnd: () => number) {}
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  letters(n: number, alphabet = 'abcdefghijklmnopqrstuvwxyz'): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
  /** one random word of 1 to 4,000 letters, lengths spread over the scales (most of them short) */
  word(): string {
    return this.letters(1 + Math.floor(Math.pow(4000, this.rnd())));
  }
}
