import { FNV1A_OFFSET, fmix32, fnv1a, fnv1aStep } from '../../src/domain/hash';

describe('shared hashes', () => {
  it('fnv1a gives the published FNV-1a 32-bit vectors', () => {
    // (the reference test vectors of the FNV authors: "" is the offset basis, "a" and "foobar" as listed there)
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('fnv1aStep folds values one by one as fnv1a folds characters', () => {
    let h = FNV1A_OFFSET;
    for (const c of 'foobar') h = fnv1aStep(h, c.charCodeAt(0));
    expect(h).toBe(fnv1a('foobar'));
  });

  it('fmix32 is murmur3 fmix32: unsigned, fixed on zero, and bijective on a sample', () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
    const seen = new Set<number>();
    for (let i = 0; i < 50_000; i++) {
      const y = fmix32((i * 2654435761) >>> 0);
      expect(y).toBeGreaterThanOrEqual(0);
      seen.add(y);
    }
    expect(seen.size).toBe(50_000);
  });
});
