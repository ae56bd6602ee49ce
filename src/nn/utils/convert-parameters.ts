import { noGrad } from "../../autograd/grad-mode.js";
import { cat } from "../../tensor/ops/indexing.js";
import { Tensor } from "../../tensor/tensor.js";
import { RuntimeError } from "../../util/errors.js";
import { setTensorData } from "../parameter.js";

function typeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v;
}

/**
 * All parameters flattened and concatenated into one vector (PyTorch's
 * `parameters_to_vector`). Differentiable, like PyTorch's.
 *
 * @example
 * ```ts
 * const flat = nn.utils.parametersToVector(model.parameters());
 * ```
 */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  return cat([...parameters].map((p) => p.reshape([-1])));
}

/**
 * Make each parameter a view of the matching slice of `vec` (PyTorch's `vector_to_parameters`:
 * `param.data = vec[i:i+n].view_as(param).data`), so the parameters keep their identity.
 *
 * @throws TypeError when `vec` is not a Tensor; RuntimeError when it is too short.
 * @example
 * ```ts
 * nn.utils.vectorToParameters(flat.mul(0.5), model.parameters());
 * ```
 */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  if (!(vec instanceof Tensor)) throw new TypeError(`expected torch.Tensor, but got: ${typeName(vec)}`);
  noGrad(() => {
    const flat = vec.detach().reshape([-1]);
    let at = 0;
    for (const p of parameters) {
      const n = p.numel();
      if (at + n > flat.numel()) {
        throw new RuntimeError(`start (${at}) + length (${n}) exceeds dimension size (${flat.numel()}).`);
      }
      setTensorData(p, flat.narrow(0, at, n).view([...p.shape]));
      at += n;
    }
  });
}
