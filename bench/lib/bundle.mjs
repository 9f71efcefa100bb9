// Bundles a small program with esbuild, all dependencies included, minified, ESM, and measures it.
// Shared by the bundle-size benchmark and `npm run size:compare` (tests/runtimes/size-compare.mjs).

import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** esbuild's first error, with how many there were: e.g. `121 errors, the first: Could not resolve "node:assert" (…)`. */
export function firstError(error) {
  const errors = error?.errors ?? [];
  if (errors.length === 0) return String(error?.message ?? error).split('\n')[0];
  const [first] = errors;
  const where = first.location ? ` (${first.location.file})` : '';
  return `${errors.length} errors, the first: ${first.text}${where}`;
}

/**
 * The sizes of `contents` bundled for `platform`, resolving imports from `resolveDir`:
 * `{ minified, gzip, brotli }` in bytes (gzip level 9, brotli quality 11), or `{ error }`.
 */
export async function bundleSizes(platform, contents, resolveDir) {
  const esbuild = await import('esbuild');
  try {
    const result = await esbuild.build({
      stdin: { contents, resolveDir },
      bundle: true,
      minify: true,
      write: false,
      format: 'esm',
      platform,
      logLevel: 'silent',
    });
    const bytes = result.outputFiles[0].contents;
    return {
      minified: bytes.byteLength,
      gzip: gzipSync(bytes, { level: 9 }).byteLength,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength,
    };
  } catch (error) {
    return { error: firstError(error) };
  }
}
