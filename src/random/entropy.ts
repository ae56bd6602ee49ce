/**
 * Nondeterministic seed material for generators created without a seed (numpy's `seed(None)`,
 * PyTorch's default generator and `Generator.seed()`). Uses the Web Crypto API, which Node ≥ 20
 * and browsers provide; falls back to `Math.random` where it is missing.
 */

/**
 * `n` nondeterministic 32-bit words.
 * @example entropyWords(4) // Uint32Array of 4 random words
 */
export function entropyWords(n: number): Uint32Array {
  const out = new Uint32Array(n);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
  if (c?.getRandomValues) {
    // getRandomValues accepts at most 65536 bytes per call.
    for (let i = 0; i < n; i += 16384) c.getRandomValues(out.subarray(i, Math.min(n, i + 16384)));
  } else {
    for (let i = 0; i < n; i++) out[i] = Math.floor(Math.random() * 4294967296) >>> 0;
  }
  return out;
}
