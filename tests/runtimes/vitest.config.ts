import { defineConfig } from 'vitest/config';

// The runtime tests: the built package, packed and installed into a scratch consumer, run on Node
// (import and require), Deno, Bun, workerd and the Vercel edge VM against the emulator served on
// loopback. `npm test` builds first; run alone with `npm run test:runtimes` after `npm run build`.
export default defineConfig({
  test: {
    include: ['tests/runtimes/**/*.spec.ts'],
    globalSetup: ['tests/runtimes/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
