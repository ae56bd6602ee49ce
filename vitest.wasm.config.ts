import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * The whole test suite on the WebAssembly backend (`npm run test:wasm`): the base config plus a
 * setup file that selects the backend named by TSGRAD_BACKEND (default here: wasm on every core,
 * with every product large enough to split across the threads split).
 */
process.env.TSGRAD_BACKEND ??= "wasm";
export default mergeConfig(
  base,
  defineConfig({
    test: { setupFiles: ["./test/backend-setup.ts"] },
  }),
);
