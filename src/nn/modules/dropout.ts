import type { Tensor } from "../../tensor/tensor.js";
import { ValueError } from "../../util/errors.js";
import { dropout } from "../functional/dropout.js";
import { Module } from "../module.js";
import { checkOptions, pyBool, pyFloat } from "../options.js";

/**
 * Dropout (PyTorch's `nn.Dropout`): in training mode, zero each element with probability `p`
 * and scale the rest by 1/(1−p), drawing the mask as PyTorch does; identity in evaluation mode.
 *
 * @example
 * ```ts
 * const drop = new nn.Dropout(0.1);
 * model.eval(); // drop.forward(x) === x
 * ```
 */
export class Dropout extends Module {
  /** Probability of zeroing an element. */
  p: number;
  /** Multiply the input in place. */
  inplace: boolean;

  constructor(p = 0.5, options: { inplace?: boolean } = {}) {
    super();
    const o = checkOptions("Dropout", options, ["inplace"]);
    if (!(p >= 0 && p <= 1))
      throw new ValueError(`dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
    this.inplace = o.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return dropout(input, { p: this.p, training: this.training, inplace: this.inplace });
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyBool(this.inplace)}`;
  }
}
