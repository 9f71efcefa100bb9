#!/usr/bin/env node
// Prints the README's size comparison: this package and expo-server-sdk (the pinned devDependency),
// each measured the way `size-limit` measures (esbuild bundle, minified, brotli, all dependencies
// included), for a program that creates a client and sends. Run with `npm run size:compare` after
// `npm run build`. expo-server-sdk cannot be bundled for a neutral (or browser) platform at all; the
// error is printed, and a Node-platform bundle is measured for reference.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import esbuildPlugin from '@size-limit/esbuild';
import filePlugin from '@size-limit/file';
import sizeLimit from 'size-limit';
import { bundleSizes, firstError } from '../../bench/lib/bundle.mjs';

const root = new URL('../..', import.meta.url).pathname;
const version = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const kB = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;

async function measure(check) {
  try {
    const file = join(root, check.path);
    const limitCheck = {
      files: [file],
      ...(check.import ? { import: { [file]: check.import } } : {}),
      // The failure is reported in the table; esbuild need not print all of its errors too.
      modifyEsbuildConfig: (config) => ({ ...config, logLevel: 'silent' }),
    };
    const [{ size }] = await sizeLimit([filePlugin, esbuildPlugin], { checks: [limitCheck] });
    return kB(size);
  } catch (error) {
    return `fails: ${firstError(error)}`;
  }
}

/** Bundles `contents` with esbuild directly, for the given platform; the brotli size or the error. */
async function bundleFor(platform, contents) {
  const size = await bundleSizes(platform, contents, root);
  return size.error ? `fails: ${size.error}` : kB(size.brotli);
}

const sdkProgram = "import Expo from 'expo-server-sdk';\nawait new Expo().sendPushNotificationsAsync([{ to: 'ExponentPushToken[a]', body: 'hi' }]);";
const ownProgram = "import { PushClient } from 'expo-push-edge';\nawait new PushClient().publish({ to: 'ExponentPushToken[a]', body: 'hi' });";

const rows = [
  ['expo-push-edge (this package), ESM `import { PushClient }`', await measure({ path: 'dist/index.js', import: '{ PushClient }' })],
  ['expo-push-edge (this package), CJS `dist/index.cjs`', await measure({ path: 'dist/index.cjs' })],
  [`expo-server-sdk ${version('expo-server-sdk')}, \`import { Expo }\`, size-limit's way`, await measure({ path: 'node_modules/expo-server-sdk/build/ExpoClient.js', import: '{ Expo }' })],
  [`expo-server-sdk ${version('expo-server-sdk')}, esbuild --platform=neutral`, await bundleFor('neutral', sdkProgram)],
  [`expo-server-sdk ${version('expo-server-sdk')}, esbuild --platform=node (reference only)`, await bundleFor('node', sdkProgram)],
  ['expo-push-edge, esbuild --platform=neutral (same program shape)', await bundleFor('neutral', ownProgram.replace("'expo-push-edge'", `'${join(root, 'dist/index.js')}'`))],
];

console.log(`Measured with size-limit ${version('size-limit')} / esbuild ${version('esbuild')}, brotli, all dependencies bundled.\n`);
console.log('| bundle | size |\n| --- | --- |');
for (const [what, size] of rows) console.log(`| ${what} | ${size} |`);
