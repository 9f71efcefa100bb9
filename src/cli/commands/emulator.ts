import type { CliCommand } from '../cli-command.ts';
import type { CliIo } from '../cli-io.ts';
import { countNoun } from '../count-noun.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { LineWriter } from '../line-writer.ts';
import { parseCommandLine, parseNumberOption } from '../parse-command-line.ts';
import { type EmulatorServer, serveEmulator } from '../serve-emulator.ts';
import { UsageError } from '../usage-error.ts';

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  unregistered: { type: 'string', multiple: true },
  'receipt-delay': { type: 'string' },
  'access-token': { type: 'string' },
  json: { type: 'boolean' },
} as const;

const HELP = `Usage: expo-push emulator [options]

Serves a local emulator of the Expo push service over HTTP, to try a sender without
touching real devices or the real service. Runs until Ctrl+C (SIGINT) or SIGTERM.

Options:
  --port <n>               Port to listen on; 0 picks a free one. Default 0.
  --host <address>         Interface to listen on. Default 127.0.0.1, so the emulator is
                           reachable from this machine only.
  --unregistered <token>   Answer this token with a DeviceNotRegistered ticket; repeat for
                           several.
  --receipt-delay <ms>     Milliseconds before a notification's receipt is available.
                           Default 0.
  --access-token <token>   Require this bearer token, as a project with enhanced push
                           security does. Taken from this option only (EXPO_ACCESS_TOKEN is
                           not read here), and never printed.
  --json                   Print {"type":"listening","url"} once ready and
                           {"type":"summary",…} when stopped, each as a line of JSON.
  -h, --help               Show this help.

Point the other commands at it with --base-url <url> or EXPO_PUSH_BASE_URL=<url>.

Exit status: 0 after a clean stop; 2 for a usage error or a port that cannot be used.

Example:
  expo-push emulator --port 8787 --unregistered 'ExponentPushToken[gone]'
  EXPO_PUSH_BASE_URL=http://127.0.0.1:8787 expo-push send --to 'ExponentPushToken[abc]' --title Hi`;

/** `expo-push emulator`: the push-service emulator on a loopback port, until a signal stops it. */
export const emulatorCommand: CliCommand = {
  name: 'emulator',
  summary: 'Serve a local emulator of the push service',
  help: HELP,
  run: runEmulator,
};

async function runEmulator(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandLine(args, OPTIONS);
  const port = values.port === undefined ? 0 : parseNumberOption('--port', values.port, { integer: true, max: 65_535 });
  const receiptDelayMs = values['receipt-delay'] === undefined ? 0 : parseNumberOption('--receipt-delay', values['receipt-delay']);
  const hostname = values.host ?? '127.0.0.1';
  const stdout = new LineWriter(io.stdout);
  const json = values.json === true;

  let server: EmulatorServer;
  try {
    server = await serveEmulator(
      {
        unregisteredTokens: values.unregistered ?? [],
        receiptDelayMs,
        ...(values['access-token'] === undefined ? {} : { accessToken: values['access-token'] }),
        // A server left running for hours must not keep a log of every request in memory.
        record: false,
      },
      { port, hostname },
    );
  } catch (error) {
    // A port in use or an address not on this machine: the caller's choice to fix.
    throw new UsageError(`cannot serve the emulator on ${hostname}:${port}: ${(error as Error).message}`);
  }
  try {
    if (json) stdout.json({ type: 'listening', url: server.url });
    else {
      stdout.line(`Expo push emulator listening on ${server.url}`);
      stdout.line(`Point senders at it with --base-url ${server.url} or EXPO_PUSH_BASE_URL=${server.url}`);
      stdout.line('Press Ctrl+C to stop.');
    }
    await untilAborted(io.signal);
  } finally {
    await server.close();
  }
  const stats = server.emulator.stats;
  if (json) stdout.json({ type: 'summary', ...stats });
  else {
    stdout.line(`Stopped after ${stats.sendRequests} send and ${stats.receiptRequests} receipt requests; ${countNoun(stats.recipientsAccepted, 'notification')} accepted.`);
  }
  await stdout.drained();
  return EXIT_OK;
}

/** Resolves once `signal` aborts; never without one, as a server is meant to run until stopped. */
function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) resolve();
    else signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}
