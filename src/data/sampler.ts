/**
 * The sampler protocol and the seed draw PyTorch's samplers and DataLoader make from a generator.
 *
 * @module
 */

import { defaultGenerator, Generator } from "../tensor/random.js";

/**
 * Something that yields dataset indices (or lists of indices, for batch samplers) each time it is
 * iterated (`torch.utils.data.Sampler`), with an optional `length` (`__len__`).
 *
 * @example
 * ```ts
 * const everyOther: tg.data.Sampler = { length: 5, *[Symbol.iterator]() { for (let i = 0; i < 10; i += 2) yield i; } };
 * ```
 */
export interface Sampler<T = number> extends Iterable<T> {
  /** Number of items one iteration yields, when known. */
  readonly length?: number;
}

const TWO_POW_63 = 1n << 63n;

/**
 * `torch.empty((), dtype=torch.int64).random_(generator=g).item()`: one 64-bit draw (two words)
 * modulo 2⁶³, from `generator` or the default generator. PyTorch's RandomSampler seeds its private
 * generator with it, and every DataLoader iterator draws one as the workers' base seed.
 * @example drawInt64Seed(new tg.Generator().manualSeed(0)) // 900450186894289455n
 */
export function drawInt64Seed(generator?: Generator | null): bigint {
  if (generator !== undefined && generator !== null && !(generator instanceof Generator)) {
    throw new TypeError(`generator must be a tg.Generator, got ${typeof generator}`);
  }
  return (generator ?? defaultGenerator)._engine.random64() % TWO_POW_63;
}

/**
 * Check that a `generator` option is a Generator (or absent), naming the owner otherwise.
 * @example const g = checkGenerator(options.generator, "RandomSampler");
 */
export function checkGenerator(generator: unknown, owner: string): Generator | undefined {
  if (generator === undefined || generator === null) return undefined;
  if (!(generator instanceof Generator)) {
    throw new TypeError(`${owner}: generator must be a tg.Generator, got ${typeof generator}`);
  }
  return generator;
}
