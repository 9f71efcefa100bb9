import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { consumerDir, root } from './harness.ts';

/** Bundles `source` in the scratch consumer (so `expo-push-edge` is the packed tarball). */
async function bundleSource(source: string, options: esbuild.BuildOptions = {}) {
  const result = await esbuild.build({
    stdin: { contents: source, resolveDir: consumerDir(), sourcefile: 'program.mjs' },
    absWorkingDir: consumerDir(),
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    metafile: true,
    legalComments: 'none',
    // Node's built-ins stay external, so they show up as imports instead of failing the build.
    external: [...builtinModules, 'node:*'],
    logLevel: 'silent',
    ...options,
  });
  return { text: result.outputFiles?.[0]?.text ?? '', metafile: result.metafile as esbuild.Metafile };
}

/** The files a bundle was made of, sorted, with the hash in the names of tsup's shared chunks left out. */
function inputFiles(metafile: esbuild.Metafile): string[] {
  return Object.keys(metafile.inputs)
    .map((file) => file.replace(/\/chunk-[A-Z0-9]+\.js$/, '/chunk-*.js'))
    .sort();
}

const NODE_APIS: ReadonlyArray<readonly [string, RegExp]> = [
  ['process', /\bprocess\b/],
  ['Buffer', /\bBuffer\b/],
  ['require(', /\brequire\s*\(/],
  ['node: module', /["'`]node:/],
];

/**
 * Every Node API that each file of a bundle references: the bundled output (what ships after
 * tree-shaking) is cut at esbuild's per-file markers and each part searched, and every import of a
 * Node built-in is listed for the file that makes it.
 */
async function nodeApisIn(source: string): Promise<Record<string, string[]>> {
  const { text, metafile } = await bundleSource(source);
  const found: Record<string, string[]> = {};
  const add = (file: string, what: string) => {
    found[file] = [...new Set([...(found[file] ?? []), what])];
  };
  const parts = text.split(/^\/\/ (\S+\.[cm]?js)$/m);
  for (let i = 1; i < parts.length; i += 2) {
    for (const [name, pattern] of NODE_APIS) if (pattern.test(parts[i + 1] ?? '')) add(parts[i] as string, name);
  }
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const imported of input.imports) {
      const bare = imported.path.replace(/^node:/, '');
      if (imported.path.startsWith('node:') || builtinModules.includes(bare)) add(file, `import of ${imported.path}`);
    }
  }
  return found;
}

describe('the core entry (expo-push-edge) bundled for a neutral platform', () => {
  it('references no process, Buffer, require( or Node built-in module in any file', async () => {
    const { metafile } = await bundleSource("export * from 'expo-push-edge';");
    // The files of the core bundle: the entry itself and the parts of valibot it uses.
    expect(inputFiles(metafile)).toEqual([
      'node_modules/expo-push-edge/dist/chunk-*.js',
      'node_modules/expo-push-edge/dist/index.js',
      'node_modules/valibot/dist/index.mjs',
      'program.mjs',
    ]);
    expect(await nodeApisIn("export * from 'expo-push-edge';")).toEqual({});
  });

  it('nor does the Cloudflare Queues entry (expo-push-edge/cloudflare)', async () => {
    const { metafile } = await bundleSource("export * from 'expo-push-edge/cloudflare';");
    expect(inputFiles(metafile)).toEqual([
      'node_modules/expo-push-edge/dist/chunk-*.js',
      'node_modules/expo-push-edge/dist/cloudflare.js',
      'node_modules/valibot/dist/index.mjs',
      'program.mjs',
    ]);
    expect(await nodeApisIn("export * from 'expo-push-edge/cloudflare';")).toEqual({});
  });

  it('the scan above does find Node APIs where they are (the expo-push-edge/node entry)', async () => {
    const found = await nodeApisIn("export * from 'expo-push-edge/node';");
    expect(found['node_modules/expo-push-edge/dist/node.js']).toEqual(expect.arrayContaining(['Buffer', 'import of http', 'import of zlib']));
  });

  it('tree-shakes: a program that creates a client and sends carries none of the emulator', async () => {
    const program = "import { PushClient } from 'expo-push-edge';\nawait new PushClient().publish({ to: 'ExponentPushToken[a]', body: 'hi' });";
    const { text, metafile } = await bundleSource(program, { minify: true });
    expect(inputFiles(metafile)).toEqual([
      'node_modules/expo-push-edge/dist/chunk-*.js',
      'node_modules/expo-push-edge/dist/index.js',
      'node_modules/valibot/dist/index.mjs',
      'program.mjs',
    ]);
    // Strings that only the emulator has: its 415 code, its 401 text and its request decoding.
    for (const emulatorOnly of ['UNSUPPORTED_CONTENT_ENCODING', 'enhanced push security', 'DecompressionStream']) {
      expect(text.includes(emulatorOnly), emulatorOnly).toBe(false);
    }
    expect(text.includes('PushClient') || text.includes('expo-push-edge/')).toBe(true);
    // And the emulator bundle does have them, so the check above can fail.
    const emulator = await bundleSource("export * from 'expo-push-edge/emulator';", { minify: true });
    expect(['UNSUPPORTED_CONTENT_ENCODING', 'enhanced push security', 'DecompressionStream'].every((s) => emulator.text.includes(s))).toBe(true);
  });

  it('is free of side effects: importing it for nothing bundles to nothing', async () => {
    const { sideEffects } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { sideEffects: unknown };
    expect(sideEffects).toBe(false);
    for (const entry of ['expo-push-edge', 'expo-push-edge/emulator', 'expo-push-edge/cloudflare']) {
      const { text } = await bundleSource(`import '${entry}';`, { minify: true });
      expect(text.trim(), entry).toBe('');
    }
  });
});
