/** The `tg.autograd` namespace. */
export { gradcheck, type GradcheckOptions } from "./gradcheck.js";
export { Node } from "./node.js";
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from "./grad-mode.js";
