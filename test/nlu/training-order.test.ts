/**
 * The order in which training visits the examples is drawn from the examples themselves (src/nlu/whole.ts
 * trainingOrder): an example added anywhere leaves the order of all the others as it was, so the weights of entries
 * nobody touched do not move because another entry got an example.
 */
import { exampleHash, trainingOrder } from '../../src/nlu/whole';

function hashes(n: number, seed: number): number[] {
  const out: number[] = [];
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(exampleHash(i % 7, [s % 997, (s >>> 10) % 997], [1, 0.6]));
  }
  return out;
}

test.each([0, 1, 5, 15])('an example added keeps the order of the others (epoch %d)', (epoch) => {
  const before = hashes(300, 42);
  const added = exampleHash(3, [12, 34, 56], [1, 1, 0.6]);
  const at = 137;
  const after = [...before.slice(0, at), added, ...before.slice(at)];
  const seen = trainingOrder(Uint32Array.from(after), epoch)
    .filter((i) => i !== at)
    .map((i) => (i > at ? i - 1 : i));
  expect(seen).toEqual(trainingOrder(Uint32Array.from(before), epoch));
});

test('every example once per epoch, in an order that changes from epoch to epoch', () => {
  const h = Uint32Array.from(hashes(300, 7));
  const first = trainingOrder(h, 0);
  expect([...first].sort((a, b) => a - b)).toEqual(Array.from(h, (_, i) => i));
  expect(trainingOrder(h, 1)).not.toEqual(first);
  // not the list's own order either
  expect(first).not.toEqual(Array.from(h, (_, i) => i));
});

test('an example is hashed by what it is: its entry, features and values', () => {
  expect(exampleHash(2, [5, 9], [1, 0.5])).toBe(exampleHash(2, [5, 9], [1, 0.5]));
  expect(exampleHash(3, [5, 9], [1, 0.5])).not.toBe(exampleHash(2, [5, 9], [1, 0.5]));
  expect(exampleHash(2, [5, 10], [1, 0.5])).not.toBe(exampleHash(2, [5, 9], [1, 0.5]));
  expect(exampleHash(2, [5, 9], [1, 0.6])).not.toBe(exampleHash(2, [5, 9], [1, 0.5]));
});
