/**
 * Checking of the options bags that stand in for PyTorch's keyword arguments. An unknown name is
 * an error that suggests the intended camelCase spelling (`weight_decay` -> `weightDecay`,
 * `sci_mode` -> `sciMode`, a typo like `momentm` -> `momentum`), because a silently ignored
 * option is the worst kind of bug in a training script.
 */

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/**
 * The known name closest to `name`: same letters ignoring case and underscores (`sci_mode` ->
 * `sciMode`), else one containing the other (`suppress` -> `suppressSmall`), else the nearest by
 * edit distance if it is close enough to be a typo (`maxDistance`, default a third of the name, at
 * least 2). `containment: false` skips the middle rule, for places where unrelated names are legal.
 * @example suggestName("weight_decay", ["lr", "weightDecay"]) // "weightDecay"
 */
export function suggestName(
  name: string,
  known: readonly string[],
  { maxDistance, containment = true }: { maxDistance?: number; containment?: boolean } = {},
): string | undefined {
  const squash = (s: string) => s.replace(/_/g, "").toLowerCase();
  const given = squash(name);
  const exact = known.find((k) => squash(k) === given);
  if (exact !== undefined) return exact;
  const contained =
    containment &&
    known.find((k) => {
      const q = squash(k);
      return Math.min(q.length, given.length) >= 4 && (q.includes(given) || given.includes(q));
    });
  if (contained) return contained;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(given, squash(k));
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= (maxDistance ?? Math.max(2, Math.floor(name.length / 3))) ? best : undefined;
}

/**
 * Throw a TypeError for the first key of `options` that is not in `known`, naming the owner and
 * suggesting the closest known name.
 * @example
 * ```ts
 * assertKnownOptions("SGD", { weight_decay: 0.1 }, ["lr", "weightDecay"]);
 * // TypeError: unknown option weight_decay for SGD; did you mean weightDecay?
 * ```
 */
export function assertKnownOptions(owner: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const suggestion = suggestName(key, known);
    const hint = suggestion ? `did you mean ${suggestion}?` : `expected one of ${known.join(", ")}`;
    throw new TypeError(`unknown option ${key} for ${owner}; ${hint}`);
  }
}

/**
 * Return `options` (or `{}` when it is undefined/null) after checking that it is a plain object
 * whose keys are all in `allowed` (see {@link assertKnownOptions}).
 * @example
 * ```ts
 * const o = checkOptions("Linear", { bias: false }, ["bias", "dtype"]);
 * ```
 */
export function checkOptions<T extends object>(
  owner: string,
  options: T | undefined | null,
  allowed: readonly string[],
): T {
  if (options === undefined || options === null) return {} as T;
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(
      `${owner} options must be an object, got ${Array.isArray(options) ? "array" : typeof options}`,
    );
  }
  assertKnownOptions(owner, options, allowed);
  return options;
}
