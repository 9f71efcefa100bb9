// Every child process the harness starts is registered here, so none outlives the harness: on a
// normal exit, an uncaught error, Ctrl-C (SIGINT) or SIGTERM, each one still alive is stopped by its
// own pid. Children also exit by themselves when their stdin (a pipe from us) closes.

import { spawn } from 'node:child_process';

const live = new Set();

/**
 * Spawns `node [...execArgv] <script> ...args` with piped stdio, tracked until it exits.
 * @returns {{ child: import('node:child_process').ChildProcess, exited: Promise<{ code: number|null, signal: string|null }>, stderr: () => string }}
 */
export function spawnNode(script, args, { env, execArgv = [] } = {}) {
  const child = spawn(process.execPath, [...execArgv, script, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  live.add(child);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    // Keep the tail only: enough to explain a crash.
    stderr = (stderr + chunk).slice(-8000);
  });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      live.delete(child);
      stderr += `\n${error.stack ?? error}`;
      resolve({ code: null, signal: null });
    });
  });
  return { child, exited, stderr: () => stderr };
}

/** Sends `signal` to every live child. */
export function killAll(signal = 'SIGTERM') {
  for (const child of live) {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** How many children are still running. */
export const liveCount = () => live.size;

let installed = false;
let interrupted = false;

/** Whether Ctrl-C or SIGTERM arrived: failures after that are expected, not worth a stack trace. */
export const isInterrupted = () => interrupted;

/** Stops the children on exit, on Ctrl-C and on SIGTERM. Call once from the entry script. */
export function installCleanup() {
  if (installed) return;
  installed = true;
  // Last resort, synchronous: whatever is still running when we exit gets SIGKILL.
  process.on('exit', () => killAll('SIGKILL'));
  const onSignal = (signal, code) => {
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping ${live.size} child process(es)…\n`);
    killAll('SIGTERM');
    const deadline = Date.now() + 2000;
    const wait = setInterval(() => {
      if (live.size === 0 || Date.now() > deadline) {
        clearInterval(wait);
        process.exit(code);
      }
    }, 50);
  };
  process.once('SIGINT', () => onSignal('SIGINT', 130));
  process.once('SIGTERM', () => onSignal('SIGTERM', 143));
}
