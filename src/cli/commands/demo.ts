import type { CliCommand } from '../cli-command.ts';
import type { CliIo } from '../cli-io.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { LineWriter } from '../line-writer.ts';
import { parseCommandLine } from '../parse-command-line.ts';
import { runDemo } from '../run-demo.ts';

const OPTIONS = {
  json: { type: 'boolean' },
} as const;

const HELP = `Usage: expo-push demo [--json]

Starts the push-service emulator on a free loopback port, sends it a realistic batch of
over 1,000 recipients (many languages and emoji, naughty strings, multi-recipient
messages, malformed and unregistered tokens), fetches the receipts, and prints a summary.
Nothing leaves this machine.

Options:
  --json       Print only the summary, as one line of JSON ({"type":"summary",…}).
  -h, --help   Show this help.

Exit status: 0 when the demo ran; 1 if it failed.`;

/** `expo-push demo`: the SDK's demo run against the built-in emulator. */
export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'Run a realistic batch against the built-in emulator',
  help: HELP,
  run: runDemoCommand,
};

async function runDemoCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandLine(args, OPTIONS);
  const stdout = new LineWriter(io.stdout);
  if (values.json === true) {
    const summary = await runDemo(() => {});
    stdout.json({ type: 'summary', ...summary });
  } else {
    await runDemo((line) => stdout.line(line));
  }
  await stdout.drained();
  return EXIT_OK;
}
