/**
 * Typed errors raised by tsgrad. Each mirrors the Python exception PyTorch raises for the same
 * mistake, so a message and its class read the same in both libraries. Invalid argument *types*
 * use JavaScript's built-in `TypeError`, which is already the right class.
 *
 * @example
 * ```ts
 * try { tg.zeros([2, 3]).matmul(tg.zeros([4, 5])); }
 * catch (e) { if (e instanceof tg.errors.RuntimeError) console.log(e.message); }
 * // mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)
 * ```
 */
export class TsgradError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * An operation that cannot run on the given operands (PyTorch's `RuntimeError`), e.g. bad shapes.
 * @example tg.ones([2, 3]).matmul(tg.ones([2, 3])); // RuntimeError: mat1 and mat2 shapes cannot be ...
 */
export class RuntimeError extends TsgradError {}

/**
 * An index or dimension outside the valid range (PyTorch's `IndexError`).
 * @example tg.ones([2, 3]).select(0, 5); // IndexError: select(): index 5 out of range for tensor ...
 */
export class IndexError extends TsgradError {}

/**
 * A value that is of the right type but not allowed (PyTorch's `ValueError`), e.g. `lr < 0`.
 * @example
 * ```ts
 * try {
 *   new tg.optim.SGD(params, { lr: -1 });
 * } catch (e) {
 *   if (e instanceof tg.errors.ValueError) console.log(e.message); // "Invalid learning rate: -1"
 * }
 * ```
 */
export class ValueError extends TsgradError {}

/**
 * A missing key, e.g. a state dict without an expected entry (Python's `KeyError`).
 * @example opt.addParamGroup({ lr: 0.1 } as never); // throws KeyError: 'params' (a group without params)
 */
export class KeyError extends TsgradError {}
