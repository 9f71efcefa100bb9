#!/usr/bin/env node
import type { CliIo } from './cli-io.ts';
import { main } from './main.ts';

// The executable behind `expo-push` and `npx expo-push-edge`: the process's streams, environment
// and signals handed to main().

const controller = new AbortController();
let interrupts = 0;
const interrupt = (signal: NodeJS.Signals) => {
  interrupts++;
  // The first signal stops in order (a send reports what it did, the emulator closes); a second
  // one means "now".
  if (interrupts > 1) process.exit(130);
  controller.abort(new Error(`Interrupted by ${signal}`));
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

// A reader that goes away early (`expo-push … | head`) is not worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

const io: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  // Looked up only when read: opening standard input for nothing could keep the process alive.
  get stdin() {
    return process.stdin;
  },
  isTTY: process.stderr.isTTY === true,
  columns: process.stderr.columns,
  signal: controller.signal,
};

process.exitCode = await main(process.argv.slice(2), io);
process.off('SIGINT', interrupt);
process.off('SIGTERM', interrupt);
