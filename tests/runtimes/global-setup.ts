import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The scratch consumer: the packed tarball installed, plus consumer/ and examples/ copied in. */
    consumerDir: string;
  }
}

const root = resolve(import.meta.dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Packs the built package with `npm pack` and installs the tarball into a scratch consumer, the way
 * a user gets it, so every runtime test below exercises what would be published, not the work tree.
 */
export default function setup(project: TestProject): () => void {
  for (const file of ['index.js', 'index.cjs', 'node.js']) {
    if (!existsSync(join(root, 'dist', file))) throw new Error(`dist/${file} is missing: run \`npm run build\` first (npm test does)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'expo-push-edge-runtimes-'));
  const [packed] = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8' })) as [
    { filename: string },
  ];
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'runtime-consumer', private: true }, null, 2)}\n`);
  // valibot comes from the npm cache that `npm ci` just filled; the registry is the fallback.
  execFileSync(npm, ['install', `./${packed.filename}`, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (const file of readdirSync(join(import.meta.dirname, 'consumer'))) {
    if (!file.endsWith('.d.mts')) cpSync(join(import.meta.dirname, 'consumer', file), join(dir, file));
  }
  cpSync(join(root, 'examples'), join(dir, 'examples'), { recursive: true });
  project.provide('consumerDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
