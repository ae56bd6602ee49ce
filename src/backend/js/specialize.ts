/**
 * Dedicated copies of the elementwise loops. V8 optimises a loop for the typed-array classes and
 * the callee it has seen at each site; one loop shared by every op and dtype sees dozens of
 * callbacks and several array classes and runs about five times slower than a dedicated one
 * (the callback is not inlined). So each (loop, callback, array classes) triple gets its own copy
 * of the loop, made by compiling the loop's own source text again with `new Function`, in which
 * the callback call is monomorphic and inlined. The loops therefore must only use their
 * parameters and globals. Where `new Function` is forbidden (a strict Content-Security-Policy)
 * the shared loop runs instead: same results, lower speed.
 */

let compileAllowed: boolean | null = null;

function canCompile(): boolean {
  if (compileAllowed === null) {
    try {
      compileAllowed = new Function("return 1")() === 1;
    } catch {
      compileAllowed = false;
    }
  }
  return compileAllowed;
}

// Below this many elements call overhead dominates and a dedicated copy would not pay for itself.
const MIN_ELEMENTS = 4096;

const ids = new WeakMap<object, number>();
let nextId = 0;
const copies = new Map<string, unknown>();

function idOf(x: object | string): string {
  if (typeof x === "string") return x;
  let id = ids.get(x);
  if (id === undefined) {
    id = nextId++;
    ids.set(x, id);
  }
  return `#${id}`;
}

/**
 * The copy of `loop` dedicated to `callee` (a function, or a string naming a fixed operator) and
 * to these arrays' classes; `loop` itself when the work is small or compiling is not allowed.
 * @example const run = specialized(unaryLoop, Math.exp, [src, out], n);
 */
export function specialized<L extends (...args: never[]) => void>(
  loop: L,
  callee: object | string,
  arrays: readonly object[],
  elements: number,
): L {
  if (elements < MIN_ELEMENTS || !canCompile()) return loop;
  const key = `${loop.name}|${idOf(callee)}|${arrays.map((a) => a.constructor.name).join(",")}`;
  let copy = copies.get(key) as L | undefined;
  if (!copy) {
    copy = new Function(`return (${loop.toString()})`)() as L;
    copies.set(key, copy);
  }
  return copy;
}
