let enabled = true;

/**
 * Whether operations are currently recorded for autograd (`torch.is_grad_enabled`).
 * @example tg.noGrad(() => tg.isGradEnabled()) // false
 */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Turn gradient recording on or off globally (`torch.set_grad_enabled`).
 * @example tg.setGradEnabled(false)
 */
export function setGradEnabled(on: boolean): void {
  enabled = on;
}

/**
 * Run `fn` without recording operations for autograd and return its result (`torch.no_grad()`).
 * The previous mode is restored even when `fn` throws. Async functions are not supported, because
 * the mode is global and would leak across awaits.
 *
 * @example
 * ```ts
 * const y = tg.noGrad(() => w.mul(2)); // y.requiresGrad === false
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/**
 * Run `fn` with gradient recording on, even inside {@link noGrad} (`torch.enable_grad()`).
 * @example tg.noGrad(() => tg.enableGrad(() => x.mul(2))).requiresGrad // true when x requires grad
 */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

function withGradMode<T>(on: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = on;
  try {
    const out = fn();
    if (out instanceof Promise) {
      throw new TypeError(
        "noGrad/enableGrad take a synchronous function; await inside it would leak the mode",
      );
    }
    return out;
  } finally {
    enabled = prev;
  }
}
