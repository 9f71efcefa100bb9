import { PushError, SDK_VERSION } from '../index.ts';
import type { CliCommand } from './cli-command.ts';
import type { CliIo } from './cli-io.ts';
import { demoCommand } from './commands/demo.ts';
import { emulatorCommand } from './commands/emulator.ts';
import { receiptsCommand } from './commands/receipts.ts';
import { sendCommand } from './commands/send.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes.ts';
import { LineWriter } from './line-writer.ts';
import { wantsHelp } from './parse-command-line.ts';
import { UsageError } from './usage-error.ts';

const COMMANDS: readonly CliCommand[] = [sendCommand, receiptsCommand, emulatorCommand, demoCommand];

/** The text of `expo-push --help`. */
export const MAIN_HELP = `Usage: expo-push <command> [options]

Send Expo push notifications from the command line.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(16)}${command.summary}`).join('\n')}
  help <command>  Show a command's help (as does 'expo-push <command> --help')

Options:
  -h, --help      Show this help.
  -v, --version   Print the version.

Environment:
  EXPO_ACCESS_TOKEN    Access token for send and receipts (or --access-token); never printed.
  EXPO_PUSH_BASE_URL   Push service origin (or --base-url), such as the URL printed by
                       'expo-push emulator'. Default https://exp.host.

Results go to stdout, progress and errors to stderr. With --json, stdout is
newline-delimited JSON: one record per line, each with a "type", the summary last.

Exit status: 0 when every recipient succeeded; 1 when some failed; 2 for a usage or
input error, in which case nothing was sent.

Examples:
  expo-push send --to 'ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]' --title Hi --body 'Hello!'
  expo-push send --file tokens.txt --title Sale --body '50% off' --wait-receipts --remove-list dead.txt
  expo-push receipts 0a1b2c3d-0000-4000-8000-000000000000
  expo-push emulator --port 8787

Run 'expo-push <command> --help' for the options of a command.`;

/**
 * Runs the `expo-push` command line and returns its exit code: 0 when everything succeeded, 1 when
 * some recipients failed (or the run failed), 2 for a usage or input error. Never throws and never
 * exits the process, so tests can run it in-process with collected streams.
 * @param argv - the arguments after the program name (`process.argv.slice(2)`).
 * @param io - the streams, environment and signal to use.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const stdout = new LineWriter(io.stdout);
  const stderr = new LineWriter(io.stderr);
  const [first, ...rest] = argv;
  let command: CliCommand | undefined;
  try {
    if (first === undefined) {
      // No command is a usage error: the help goes where errors go, and the exit code says so.
      stderr.line(MAIN_HELP);
      return EXIT_USAGE;
    }
    if (first === '--help' || first === '-h') return printHelp(stdout, MAIN_HELP);
    if (first === '--version' || first === '-v') return printHelp(stdout, SDK_VERSION);
    if (first === 'help') {
      const name = rest[0];
      if (name === undefined) return printHelp(stdout, MAIN_HELP);
      return printHelp(stdout, findCommand(name).help);
    }
    command = findCommand(first);
    if (wantsHelp(rest)) return printHelp(stdout, command.help);
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.line(`expo-push: ${error.message}`);
      stderr.line(`Run 'expo-push ${command ? `${command.name} ` : ''}--help' for usage.`);
      return EXIT_USAGE;
    }
    if (io.signal?.aborted && error === io.signal.reason) {
      stderr.line('expo-push: interrupted');
      return EXIT_FAILED;
    }
    // The SDK's errors explain themselves (and never carry the access token); anything else is a
    // bug, worth its stack trace.
    stderr.line(`expo-push: ${error instanceof PushError ? `${error.name}: ${error.message}` : error instanceof Error ? (error.stack ?? String(error)) : String(error)}`);
    return EXIT_FAILED;
  }
}

function findCommand(name: string): CliCommand {
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)}; the commands are ${COMMANDS.map((c) => c.name).join(', ')}`);
  return command;
}

function printHelp(stdout: LineWriter, text: string): number {
  stdout.line(text);
  return EXIT_OK;
}
