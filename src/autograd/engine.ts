import { RuntimeError } from "../util/errors.js";
import { sumToShape } from "../tensor/ops/reduce.js";
import { shapesEqual } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { noGrad } from "./grad-mode.js";
import type { Node } from "./node.js";
import { gradRules } from "./rules/index.js";

/** Max-heap of nodes by sequence number, so the newest ready node runs first (PyTorch's order). */
class ReadyQueue {
  private heap: Node[] = [];
  get size(): number {
    return this.heap.length;
  }
  push(n: Node): void {
    const h = this.heap;
    h.push(n);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((h[p] as Node).sequenceNr >= n.sequenceNr) break;
      h[i] = h[p] as Node;
      i = p;
    }
    h[i] = n;
  }
  pop(): Node {
    const h = this.heap;
    const top = h[0] as Node;
    const last = h.pop() as Node;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && (h[r] as Node).sequenceNr > (h[l] as Node).sequenceNr ? r : l;
        if ((h[c] as Node).sequenceNr <= last.sequenceNr) break;
        h[i] = h[c] as Node;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

/** Count, for every node reachable from `root`, how many graph edges point at it (iterative DFS). */
function countDependencies(root: Node): Map<Node, number> {
  const deps = new Map<Node, number>([[root, 0]]);
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    for (const edge of node.next) {
      if (!edge || !("node" in edge)) continue;
      const child = edge.node;
      const seen = deps.has(child);
      deps.set(child, (deps.get(child) ?? 0) + 1);
      if (!seen) stack.push(child);
    }
  }
  return deps;
}

function checkedGradient(
  g: Tensor,
  meta: { shape: readonly number[]; dtype: Tensor["dtype"] },
  node: Node,
  i: number,
): Tensor {
  let out = g;
  if (!shapesEqual(g.shape, meta.shape)) {
    // As PyTorch's engine does, a gradient of a broadcast input is summed back to its shape.
    if (!expandableTo(meta.shape, g.shape)) {
      throw new RuntimeError(
        `Function ${node.name} returned an invalid gradient at index ${i} - got [${g.shape.join(", ")}] but expected shape compatible with [${meta.shape.join(", ")}]`,
      );
    }
    out = sumToShape(g, meta.shape);
  }
  return out.dtype === meta.dtype ? out : out.to(meta.dtype);
}

/** Whether `shape` broadcasts to `target` (PyTorch's `is_expandable_to`). */
function expandableTo(shape: readonly number[], target: readonly number[]): boolean {
  if (shape.length > target.length) return false;
  for (let i = 1; i <= shape.length; i++) {
    const s = shape[shape.length - i] as number;
    if (s !== 1 && s !== target[target.length - i]) return false;
  }
  return true;
}

function accumulateInto(buffers: Map<Node | Tensor, Tensor>, key: Node | Tensor, g: Tensor): void {
  const prev = buffers.get(key);
  buffers.set(key, prev ? prev.add(g) : g);
}

/** Add a finished gradient into a leaf's `.grad` (a fresh copy the first time, in place afterwards). */
function accumulateLeaf(leaf: Tensor, g: Tensor): void {
  const current = leaf.grad;
  if (current === null) leaf.grad = g.dtype === leaf.dtype ? g.clone().contiguous() : g.to(leaf.dtype);
  else current.add_(g);
}

/**
 * Backpropagate from `root`: walk the graph in dependency order (no recursion, so arbitrarily long
 * chains are fine), apply each node's gradient rule, sum gradients that meet at a node, and
 * accumulate the results into the leaves' `.grad`. Saved tensors are freed unless `retainGraph`.
 * @example
 * ```ts
 * const w = tg.tensor([1, 2, 3], { dtype: "float32", requiresGrad: true });
 * runBackward(w.mul(w).sum(), null, false); // what loss.backward() calls; w.grad: [2, 4, 6]
 * ```
 */
export function runBackward(root: Tensor, gradient: Tensor | null, retainGraph: boolean): void {
  if (!root.requiresGrad) {
    throw new RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn");
  }
  let seed = gradient;
  if (seed === null) {
    if (root.numel() !== 1) throw new RuntimeError("grad can be implicitly created only for scalar outputs");
    seed = root.detach().clone().fill_(1);
  } else if (!shapesEqual(seed.shape, root.shape)) {
    throw new RuntimeError(
      `Mismatch in shape: grad_output[0] has a shape of torch.Size([${seed.shape.join(", ")}]) and output[0] has a shape of torch.Size([${root.shape.join(", ")}]).`,
    );
  }
  const g0 = seed;
  noGrad(() => {
    if (root.gradFn === null) {
      accumulateLeaf(root, g0.to(root.dtype));
      return;
    }
    const rootNode = root.gradFn;
    const deps = countDependencies(rootNode);
    const buffers = new Map<Node | Tensor, Tensor>([[rootNode, g0.to(root.dtype)]]);
    const leaves: Tensor[] = [];
    const ready = new ReadyQueue();
    ready.push(rootNode);
    // Called once per incoming edge; when the last one arrives the node runs if it received a
    // gradient, and otherwise its whole subtree is marked done without running.
    const edgeDone = (start: Node): void => {
      const stack = [start];
      while (stack.length > 0) {
        const node = stack.pop() as Node;
        const left = (deps.get(node) as number) - 1;
        deps.set(node, left);
        if (left > 0) continue;
        if (buffers.has(node)) {
          ready.push(node);
          continue;
        }
        if (!retainGraph) node.release();
        for (const edge of node.next) if (edge && "node" in edge) stack.push(edge.node);
      }
    };
    while (ready.size > 0) {
      const node = ready.pop();
      const gOut = buffers.get(node) as Tensor;
      buffers.delete(node);
      if (node.retained) {
        const t = node.retained;
        t.grad = t.grad === null ? gOut.clone() : t.grad.add(gOut);
      }
      const rule = gradRules[node.op];
      if (!rule) throw new RuntimeError(`internal: no gradient rule for ${node.op}`);
      const grads = rule(node, gOut);
      if (!retainGraph) node.release();
      node.next.forEach((edge, i) => {
        const g = grads[i];
        if (!edge) return;
        if ("leaf" in edge) {
          if (g) {
            if (!buffers.has(edge.leaf)) leaves.push(edge.leaf);
            accumulateInto(buffers, edge.leaf, checkedGradient(g, node.inputMeta[i]!, node, i));
          }
          return;
        }
        if (g) accumulateInto(buffers, edge.node, checkedGradient(g, node.inputMeta[i]!, node, i));
        edgeDone(edge.node);
      });
    }
    for (const leaf of leaves) accumulateLeaf(leaf, buffers.get(leaf) as Tensor);
  });
}
