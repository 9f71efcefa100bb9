import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { CsvParser, type CsvRecord } from '../src/cli/csv-parser.ts';
import { main } from '../src/cli/main.ts';
import { readFieldValue } from '../src/cli/message-fields.ts';
import { EMULATOR_FAULTS, type EmulatorServer, type PushEmulatorOptions, serveEmulator } from '../src/cli/node-entry.ts';
import { withOptionalValue } from '../src/cli/parse-command-line.ts';
import { ProgressRenderer } from '../src/cli/progress-renderer.ts';

const FIXTURES = resolve(import.meta.dirname, 'fixtures/cli');
const tok = (name: string): string => `ExponentPushToken[${name}]`;

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'expo-push-cli-test-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A loopback emulator closed when the test ends. */
async function emulator(options: PushEmulatorOptions = {}): Promise<EmulatorServer> {
  const server = await serveEmulator(options);
  onTestFinished(() => server.close());
  return server;
}

/** A writable stream that keeps what it is given. */
function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

interface RunOptions {
  env?: Record<string, string>;
  stdin?: Readable;
  isTTY?: boolean;
  signal?: AbortSignal;
}

/** Starts main() in-process; the streams can be read while it runs. */
function start(argv: string[], options: RunOptions = {}) {
  const stdout = sink();
  const stderr = sink();
  const done = main(argv, { stdout: stdout.stream, stderr: stderr.stream, env: options.env ?? {}, stdin: options.stdin, isTTY: options.isTTY, signal: options.signal });
  return { done, stdout: stdout.text, stderr: stderr.text };
}

async function run(argv: string[], options: RunOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const started = start(argv, options);
  const code = await started.done;
  return { code, stdout: started.stdout(), stderr: started.stderr() };
}

const jsonLines = (text: string): Array<Record<string, unknown>> =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function tokenFile(name: string, tokens: readonly string[]): Promise<string> {
  const path = join(scratch, name);
  await writeFile(path, `${tokens.join('\n')}\n`);
  return path;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('CsvParser (RFC 4180)', () => {
  const parseAll = (text: string, chunkSize = text.length): CsvRecord[] => {
    const parser = new CsvParser();
    const records: CsvRecord[] = [];
    for (let start = 0; start < text.length; start += chunkSize) records.push(...parser.push(text.slice(start, start + chunkSize)));
    return [...records, ...parser.end()];
  };

  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF records, and the line each record starts on', () => {
    const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n\r\nplain,,last\n"",z,"multi\nline\nfield"\nno,trailing,newline';
    const expected = [
      { line: 1, fields: ['a', 'b', 'c'], problem: undefined },
      { line: 2, fields: ['x, y', 'say "hi"', 'two\r\nlines'], problem: undefined },
      { line: 5, fields: ['plain', '', 'last'], problem: undefined },
      { line: 6, fields: ['', 'z', 'multi\nline\nfield'], problem: undefined },
      { line: 9, fields: ['no', 'trailing', 'newline'], problem: undefined },
    ];
    expect(parseAll(text)).toEqual(expected);
    // Chunk boundaries anywhere, even between CR and LF or inside a doubled quote, change nothing.
    for (const size of [1, 2, 3, 7]) expect(parseAll(text, size)).toEqual(expected);
  });

  it('reports malformed records with their line and goes on with the next', () => {
    const records = parseAll('a,b\nx"y,1\n"ok"tail,2\nfine,3\n"never closed,4\nlost');
    expect(records.map(({ line, fields, problem }) => [line, fields, problem?.split(':')[0]])).toEqual([
      [1, ['a', 'b'], undefined],
      [2, ['x"y', '1'], 'has a quote (") inside an unquoted field'],
      [3, ['oktail', '2'], 'has text after the closing quote of a field'],
      [4, ['fine', '3'], undefined],
      [5, ['never closed,4\nlost'], 'has a quote (") that is never closed'],
    ]);
  });

  it('keeps a trailing empty field and skips blank lines', () => {
    expect(parseAll('a,\n\n\r\n,\n').map((record) => record.fields)).toEqual([['a', ''], ['', '']]);
  });
});

describe('message fields read from text (CSV cells and flags)', () => {
  it('converts recipients, JSON, numbers and booleans, and leaves empty cells out', () => {
    expect(readFieldValue('to', ' ExponentPushToken[a] ; ExponentPushToken[b];')).toEqual({ value: [tok('a'), tok('b')] });
    expect(readFieldValue('to', '["ExponentPushToken[a]"]')).toEqual({ value: [tok('a')] });
    expect(readFieldValue('to', 'ExponentPushToken[a]')).toEqual({ value: tok('a') });
    expect(readFieldValue('data', '{"n":1}')).toEqual({ value: { n: 1 } });
    expect(readFieldValue('sound', '{"critical":true}')).toEqual({ value: { critical: true } });
    expect(readFieldValue('sound', 'default')).toEqual({ value: 'default' });
    expect(readFieldValue('badge', ' 3 ')).toEqual({ value: 3 });
    expect(readFieldValue('_contentAvailable', 'YES')).toEqual({ value: true });
    expect(readFieldValue('mutableContent', '0')).toEqual({ value: false });
    expect(readFieldValue('title', ' spaced ')).toEqual({ value: ' spaced ' });
    expect(readFieldValue('title', '  ')).toEqual({ value: undefined });
    expect(readFieldValue('badge', 'lots').problem).toBe('must be a number (got "lots")');
    expect(readFieldValue('mutableContent', 'maybe').problem).toBe('must be true or false (got "maybe")');
    expect(readFieldValue('data', '{oops').problem).toMatch(/^is not valid JSON: /);
  });
});

describe('withOptionalValue', () => {
  it('gives --wait-receipts its number, or the default when none follows', () => {
    expect(withOptionalValue(['--wait-receipts', '15', '--json'], 'wait-receipts', '30')).toEqual(['--wait-receipts=15', '--json']);
    expect(withOptionalValue(['--wait-receipts', '--json'], 'wait-receipts', '30')).toEqual(['--wait-receipts=30', '--json']);
    expect(withOptionalValue(['--wait-receipts=0.5', '--', '--wait-receipts'], 'wait-receipts', '30')).toEqual(['--wait-receipts=0.5', '--', '--wait-receipts']);
  });
});

describe('ProgressRenderer', () => {
  function fakeClock() {
    let now = 0;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  }

  it('on a terminal, redraws one line in place with done/total, rate and ETA, and ends with the totals', () => {
    const out = sink();
    const clock = fakeClock();
    const progress = new ProgressRenderer({ stream: { write: (text: string) => out.stream.write(text) }, isTTY: true, total: 1000, columns: 100, now: clock.now });
    clock.advance(1000);
    progress.update(250, 0);
    clock.advance(50);
    progress.update(260, 0); // within 100 ms of the last draw: not drawn
    clock.advance(1000);
    progress.update(500, 2);
    let printed = '';
    progress.above(() => (printed = out.text()));
    clock.advance(500);
    progress.finish();
    const text = out.text();
    expect(text.split('\r\x1b[2K').filter(Boolean)).toEqual([
      'Sending [======>                 ] 250/1000  25%  250/s  ETA 0:03',
      'Sending [============>           ] 500/1000  50%  244/s  ETA 0:03  2 failed',
      // above(): the bar is cleared (before the caller prints) and drawn again after.
      'Sending [============>           ] 500/1000  50%  244/s  ETA 0:03  2 failed',
      'Sent 500/1000 recipients in 2.5 s (196/s), 2 failed\n',
    ]);
    expect(printed.endsWith('\r\x1b[2K')).toBe(true);
    expect(text).not.toContain('260/1000');
  });

  it('cuts the bar line to the terminal width', () => {
    const out = sink();
    const progress = new ProgressRenderer({ stream: { write: (text: string) => out.stream.write(text) }, isTTY: true, total: 10, columns: 30, now: () => 1 });
    progress.update(1, 0);
    // 29 of the 30 columns: writing the last one makes some terminals wrap at once.
    expect(out.text()).toBe(`\r\x1b[2K${'Sending [==>'.padEnd(29)}`);
  });

  it('without a terminal, prints a plain line per interval and no carriage returns', () => {
    const out = sink();
    const clock = fakeClock();
    const progress = new ProgressRenderer({ stream: { write: (text: string) => out.stream.write(text) }, isTTY: false, total: 300, intervalMs: 5000, now: clock.now });
    clock.advance(1000);
    progress.update(100, 0); // before the first interval: nothing yet
    clock.advance(4000);
    progress.update(200, 1);
    clock.advance(1000);
    progress.update(250, 1);
    clock.advance(1000);
    progress.update(300, 1);
    progress.finish();
    expect(out.text()).toBe('Sending: 200/300 recipients, 66%, 40/s, ETA 0:03, 1 failed\nSent 300/300 recipients in 7.0 s (43/s), 1 failed\n');
  });
});

describe('expo-push in-process, against the emulator', () => {
  it('send --to sends every message field given as a flag and prints the ticket; exit 0', async () => {
    const server = await emulator();
    const flags = ['--title', 'Hi', '--body', 'There', '--subtitle', 'Sub', '--data', '{"orderId":7}', '--sound', 'default', '--badge', '3', '--ttl', '60'];
    flags.push('--expiration', '1900000000', '--priority', 'high', '--channel-id', 'orders', '--category-id', 'reply', '--interruption-level', 'time-sensitive');
    flags.push('--collapse-id', 'c1', '--tag', 't1', '--mutable-content', '--content-available');
    const result = await run(['send', '--base-url', server.url, '--to', tok('a'), ...flags]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^ok {5}ExponentPushToken\[a\] {2}receipt id [0-9a-f-]{36}\n$/);
    expect(server.emulator.notifications.map((notification) => notification.message)).toEqual([
      {
        to: tok('a'),
        title: 'Hi',
        body: 'There',
        subtitle: 'Sub',
        data: { orderId: 7 },
        sound: 'default',
        badge: 3,
        ttl: 60,
        expiration: 1_900_000_000,
        priority: 'high',
        channelId: 'orders',
        categoryId: 'reply',
        interruptionLevel: 'time-sensitive',
        collapseId: 'c1',
        tag: 't1',
        mutableContent: true,
        _contentAvailable: true,
      },
    ]);
  });

  it('send --to with several tokens prints a ticket each and exits 1 when one fails', async () => {
    const server = await emulator({ unregisteredTokens: [tok('gone')] });
    const result = await run(['send', '--base-url', server.url, '--to', tok('a'), '--to', tok('gone'), '--title', 'Hi']);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ok {5}ExponentPushToken\[a\] {2}receipt id /);
    expect(lines[1]).toBe('error  ExponentPushToken[gone]  DeviceNotRegistered: "ExponentPushToken[gone]" is not a registered push notification recipient');
  });

  it('send --to refuses an invalid message with exit 2 and sends nothing', async () => {
    const server = await emulator();
    const result = await run(['send', '--base-url', server.url, '--to', 'not-a-token', '--priority', 'urgent']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('to must be an Expo push token such as ExponentPushToken[…] (received "not-a-token")');
    expect(result.stderr).toContain('priority must be one of "default", "normal", "high" (received "urgent")');
    expect(result.stderr).toContain('expo-push: the message is invalid; nothing was sent');
    expect(server.emulator.requests).toHaveLength(0);
  });

  it('send --file: a token file with bad lines is reported by line number, and nothing is sent', async () => {
    const server = await emulator();
    const result = await run(['send', '--base-url', server.url, '--file', join(FIXTURES, 'tokens-with-bad-lines.txt'), '--title', 'Hi']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n').slice(0, 4)).toEqual([
      'line 4: to must be an Expo push token such as ExponentPushToken[…] (received "not-a-token")',
      'line 6: to must be an Expo push token such as ExponentPushToken[…] (received "ExponentPushToken[]")',
      `Checked ${join(FIXTURES, 'tokens-with-bad-lines.txt')}: 4 valid messages for 4 recipients; 2 invalid lines`,
      'Nothing was sent. Fix the lines above, or pass --skip-invalid to send the valid ones.',
    ]);
    expect(result.stdout).toBe('');
    expect(server.emulator.requests).toHaveLength(0);
  });

  it('send --file --skip-invalid sends the valid lines; --json prints a record per recipient with its line, the summary last', async () => {
    const server = await emulator({ unregisteredTokens: [tok('aaaaaaaaaaaaaaaaaaaaa2')] });
    const removeList = join(scratch, 'skip-invalid-remove.txt');
    const result = await run(['send', '--file', join(FIXTURES, 'tokens-with-bad-lines.txt'), '--title', 'Hi', '--skip-invalid', '--json', '--remove-list', removeList], {
      env: { EXPO_PUSH_BASE_URL: server.url },
    });
    expect(result.code).toBe(1);
    const records = jsonLines(result.stdout);
    expect(records.map((record) => [record.type, record.line, record.status])).toEqual([
      ['invalid', 4, undefined],
      ['invalid', 6, undefined],
      ['ticket', 1, 'ok'],
      ['ticket', 2, 'error'],
      ['ticket', 5, 'ok'],
      ['ticket', 7, 'ok'],
      ['summary', undefined, undefined],
    ]);
    expect(records[0]).toEqual({ type: 'invalid', line: 4, path: 'to', message: 'must be an Expo push token such as ExponentPushToken[…] (received "not-a-token")' });
    expect(records[3]).toMatchObject({ token: tok('aaaaaaaaaaaaaaaaaaaaa2'), details: { error: 'DeviceNotRegistered' } });
    expect(records.at(-1)).toEqual({
      type: 'summary',
      recipients: 4,
      invalidLines: 2,
      tickets: { ok: 3, error: 1 },
      requestFailed: 0,
      receipts: null,
      errorsByCode: { DeviceNotRegistered: 1 },
      tokensToRemove: 3,
      retryable: 0,
      credentialProblems: 0,
      notSent: 0,
    });
    // Whitespace around a token in a token file is trimmed.
    expect(server.emulator.notifications.map((notification) => notification.token)).toEqual([1, 3, 4].map((n) => tok(`aaaaaaaaaaaaaaaaaaaaa${n}`)));
    expect(await readFile(removeList, 'utf8')).toBe(`not-a-token\nExponentPushToken[]\n${tok('aaaaaaaaaaaaaaaaaaaaa2')}\n`);
  });

  it('send --file reads NDJSON, with the message flags as defaults the lines override', async () => {
    const server = await emulator();
    const file = join(FIXTURES, 'messages-with-bad-lines.ndjson');
    const refused = await run(['send', '--base-url', server.url, '--file', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('line 3: priority must be one of "default", "normal", "high" (received "urgent")\n');
    expect(refused.stderr).toMatch(/\nline 4: the line is not valid JSON: /);
    expect(server.emulator.requests).toHaveLength(0);

    const sent = await run(['send', '--base-url', server.url, '--file', file, '--skip-invalid', '--title', 'Default title', '--sound', 'default', '--quiet']);
    expect(sent.code).toBe(1);
    expect(sent.stdout).toContain('  Invalid lines skipped   2\n');
    const messages = server.emulator.notifications.map((notification) => notification.message);
    expect(messages).toEqual([
      { to: tok('ndjson1'), title: 'Hi', sound: 'default', data: { orderId: 1 } },
      { to: [tok('ndjson2'), tok('ndjson3')], title: 'Default title', sound: 'default', body: 'Two recipients' },
      { to: [tok('ndjson2'), tok('ndjson3')], title: 'Default title', sound: 'default', body: 'Two recipients' },
      { to: tok('ndjson6'), title: 'Default title', sound: 'default', badge: 2, customField: { kept: true } },
    ]);
  });

  it('send --file reads CSV: quoted fields, CRLF, several tokens per row, JSON data, numbers and booleans', async () => {
    const server = await emulator();
    const file = join(FIXTURES, 'messages-with-bad-lines.csv');
    const refused = await run(['send', '--base-url', server.url, '--file', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n').slice(0, 3)).toEqual([
      'line 5: badge must be a number (got "lots")',
      'line 6: the line has a quote (") inside an unquoted field: quote the whole field and double the quote ("")',
      'line 8: the line has 2 fields, but the header has 6',
    ]);

    const sent = await run(['send', '--base-url', server.url, '--file', file, '--skip-invalid', '--json']);
    expect(sent.code).toBe(1);
    expect(jsonLines(sent.stdout).filter((record) => record.type === 'ticket').map((record) => record.line)).toEqual([2, 4, 4, 7, 7]);
    const byToken = new Map(server.emulator.notifications.map((notification) => [notification.token, notification.message]));
    expect(byToken.get(tok('csv1'))).toEqual({ to: tok('csv1'), title: 'Hello, world', body: 'Line one\r\nline two', data: { orderId: 42 }, badge: 1, mutableContent: true });
    expect(byToken.get(tok('csv3'))).toEqual({ to: [tok('csv2'), tok('csv3')], title: 'Group', body: 'She said "hi"' });
    expect(byToken.get(tok('csv7'))).toEqual({ to: [tok('csv6'), tok('csv7')], title: 'JSON list', body: 'x', badge: 0, mutableContent: false });
  });

  it('refuses a CSV header naming an unknown field, before sending anything', async () => {
    const server = await emulator();
    const file = join(scratch, 'typo.csv');
    await writeFile(file, `to,tilte\n${tok('a')},Hi\n`);
    const result = await run(['send', '--base-url', server.url, '--file', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^expo-push: line 1: unknown CSV column "tilte"; columns name message fields: to, title, /);
    expect(server.emulator.requests).toHaveLength(0);
  });

  it('--wait-receipts prints the delivery report; --report writes it as JSON and --remove-list the tokens to remove', async () => {
    const server = await emulator({
      unregisteredTokens: [tok('r4')],
      receiptFor: ({ token }) => {
        if (token === tok('r2')) return { status: 'error', message: 'gone', details: { error: 'DeviceNotRegistered', expoPushToken: token } };
        if (token === tok('r3')) return { status: 'error', message: 'slow down', details: { error: 'MessageRateExceeded' } };
        return undefined;
      },
    });
    const file = await tokenFile('receipts.txt', ['r1', 'r2', 'r3', 'r4', 'r5'].map(tok));
    const reportPath = join(scratch, 'report.json');
    const removePath = join(scratch, 'remove.txt');
    const result = await run(['send', '--base-url', server.url, '--file', file, '--title', 'Hi', '--wait-receipts', '1', '--poll-interval', '1', '--report', reportPath, '--remove-list', removePath]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Waiting up to 1 min for 4 receipts…\n');
    expect(result.stdout).toBe(
      [
        'line 4: error  ExponentPushToken[r4]  DeviceNotRegistered: "ExponentPushToken[r4]" is not a registered push notification recipient',
        'line 2: error  ExponentPushToken[r2]  DeviceNotRegistered: gone',
        'line 3: error  ExponentPushToken[r3]  MessageRateExceeded: slow down',
        'Summary',
        '  Recipients              5',
        '  Tickets ok              4',
        '  Ticket errors           1',
        '  Receipts ok             2',
        '  Receipt errors          2',
        '  Receipts pending        0',
        '  Errors by code',
        '    DeviceNotRegistered   2',
        '    MessageRateExceeded   1',
        '  Tokens to remove        2',
        '  Worth retrying          1',
        '  Credential problems     0',
        '',
      ].join('\n'),
    );
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as Record<string, unknown>;
    expect(report).toMatchObject({
      recipients: 5,
      counts: { ok: 2, error: 3, pending: 0 },
      errorsByCode: { DeviceNotRegistered: 2, MessageRateExceeded: 1 },
      tokensToRemove: [tok('r2'), tok('r4')],
      retryable: [{ line: 3, token: tok('r3'), outcome: 'error', code: 'MessageRateExceeded', reason: 'slow down', duplicateRisk: false }],
      credentialProblems: [],
      invalid: [],
    });
    expect((report.entries as Array<Record<string, unknown>>).map((entry) => [entry.line, entry.outcome, entry.code])).toEqual([
      [1, 'ok', undefined],
      [2, 'error', 'DeviceNotRegistered'],
      [3, 'error', 'MessageRateExceeded'],
      [4, 'error', 'DeviceNotRegistered'],
      [5, 'ok', undefined],
    ]);
    expect(await readFile(removePath, 'utf8')).toBe(`${tok('r2')}\n${tok('r4')}\n`);
  });

  it('a request that fails for good is reported per recipient as a failure; exit 1', async () => {
    const server = await emulator();
    server.emulator.injectFault(EMULATOR_FAULTS.internalServerError, { endpoint: 'send' });
    const result = await run(['send', '--base-url', server.url, '--to', tok('a'), '--to', tok('b'), '--json']);
    expect(result.code).toBe(1);
    const records = jsonLines(result.stdout);
    expect(records.slice(0, 2)).toEqual(
      [tok('a'), tok('b')].map((token) => ({
        type: 'failure',
        token,
        error: { name: 'PushServerError', message: expect.stringContaining('An unknown error occurred.'), code: 'INTERNAL_SERVER_ERROR', status: 500, outcomeUnknown: true },
      })),
    );
    // No ticket came back: the service never answered with one, so these are failed requests, not ticket errors.
    expect(records[2]).toMatchObject({ type: 'summary', tickets: { ok: 0, error: 0 }, requestFailed: 2, errorsByCode: { INTERNAL_SERVER_ERROR: 2 }, retryable: 2 });
  });

  it('takes the access token from EXPO_ACCESS_TOKEN or --access-token, and never prints it', async () => {
    const secret = 'expo-secret-AbC123xyz';
    const server = await emulator({ accessToken: secret });
    const accepted = await run(['send', '--to', tok('a'), '--title', 'Hi', '--json'], { env: { EXPO_ACCESS_TOKEN: secret, EXPO_PUSH_BASE_URL: server.url } });
    expect(accepted.code).toBe(0);
    expect(server.emulator.requests[0]?.headers.authorization).toBe(`Bearer ${secret}`);

    const wrong = 'wrong-secret-Zyx987';
    const refused = await run(['send', '--to', tok('a'), '--access-token', wrong, '--base-url', server.url, '--json'], { env: { EXPO_ACCESS_TOKEN: secret } });
    expect(refused.code).toBe(1);
    expect(jsonLines(refused.stdout)[0]).toMatchObject({ type: 'failure', error: { name: 'PushServerError', status: 401 } });
    const bad = await run(['receipts', 'some-id', '--access-token', 'bad token with spaces', '--base-url', server.url]);
    expect(bad.code).toBe(2);
    for (const output of [accepted, refused, bad]) {
      for (const text of [output.stdout, output.stderr]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(wrong);
        expect(text).not.toContain('bad token with spaces');
      }
    }
  });

  it('exits 2 with a one-line reason for usage and input errors, sending nothing', async () => {
    const server = await emulator();
    const base = ['--base-url', server.url];
    const cases: Array<[string[], string]> = [
      [[], 'Usage: expo-push <command>'],
      [['bogus'], 'expo-push: unknown command "bogus"; the commands are send, receipts, emulator, demo'],
      [['send', ...base, '--to', tok('a'), '--bogus'], "expo-push: Unknown option '--bogus'"],
      [['send', ...base], 'expo-push: send needs --to <token> or --file <path>'],
      [['send', ...base, '--to', tok('a'), '--file', 'x.txt'], 'expo-push: --to and --file cannot be combined'],
      [['send', ...base, '--file', join(scratch, 'missing.txt')], 'expo-push: --file: cannot read'],
      [['send', ...base, '--file', scratch], 'is not a regular file'],
      [['send', ...base, '--to', tok('a'), '--data', '{oops'], 'expo-push: --data is not valid JSON'],
      [['send', ...base, '--to', tok('a'), '--badge', 'many'], 'expo-push: --badge must be a number (got "many")'],
      [['send', ...base, '--file', join(FIXTURES, 'tokens-with-bad-lines.txt'), '--format', 'xml'], 'expo-push: --format must be one of tokens, ndjson, csv'],
      [['send', ...base, '--to', tok('a'), '--wait-receipts', '--poll-interval', '0'], 'expo-push: --poll-interval must be a number of at least 1'],
      [['send', '--base-url', 'http://push.example.com', '--to', tok('a')], 'uses plain http: only loopback hosts'],
      [['send', ...base, '--to', tok('a'), '--report', join(scratch, 'no-such-dir', 'r.json')], 'expo-push: --report: cannot write'],
      [['receipts', ...base], 'expo-push: receipts needs receipt ids, or --file <path>'],
      [['emulator', '--port', 'eighty'], 'expo-push: --port must be a whole number from 0 to 65535 (got "eighty")'],
      [['help', 'bogus'], 'unknown command "bogus"'],
    ];
    for (const [argv, message] of cases) {
      const result = await run(argv);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.stderr).toContain(message);
    }
    expect(server.emulator.requests).toHaveLength(0);
  });

  it('prints help for every command, and the version', async () => {
    const helps: Array<[string[], string]> = [
      [['--help'], 'Usage: expo-push <command> [options]'],
      [['help'], 'Usage: expo-push <command> [options]'],
      [['send', '--help'], 'Usage: expo-push send --to <token>'],
      [['help', 'send'], 'Usage: expo-push send --to <token>'],
      [['receipts', '-h'], 'Usage: expo-push receipts <receipt-id>…'],
      [['emulator', '--help'], 'Usage: expo-push emulator [options]'],
      [['demo', '--help'], 'Usage: expo-push demo [--json]'],
      // Help wins over anything else on the line, even an unknown option.
      [['send', '--bogus', '--help'], 'Usage: expo-push send --to <token>'],
    ];
    for (const [argv, start] of helps) {
      const result = await run(argv);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout.startsWith(start)).toBe(true);
    }
    const version = await run(['--version']);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('receipts looks up ids given as arguments or in a file (such as the --json output of send)', async () => {
    const server = await emulator({
      receiptFor: ({ token }) => (token === tok('b') ? { status: 'error', message: 'gone', details: { error: 'DeviceNotRegistered', expoPushToken: token } } : undefined),
    });
    const sent = await run(['send', '--base-url', server.url, '--to', tok('a'), '--to', tok('b'), '--json']);
    const ticketsFile = join(scratch, 'tickets.ndjson');
    await writeFile(ticketsFile, sent.stdout);
    const [first, second] = server.emulator.notifications.map((notification) => notification.id) as [string, string];
    const removePath = join(scratch, 'receipts-remove.txt');

    const fromFile = await run(['receipts', '--base-url', server.url, '--file', ticketsFile, '--json', '--remove-list', removePath]);
    expect(fromFile.code).toBe(1);
    expect(jsonLines(fromFile.stdout)).toEqual([
      { type: 'receipt', line: 1, token: tok('a'), id: first, status: 'ok' },
      { type: 'receipt', line: 2, token: tok('b'), id: second, status: 'error', message: 'gone', details: { error: 'DeviceNotRegistered', expoPushToken: tok('b') } },
      { type: 'summary', ok: 1, error: 1, pending: 0, errorsByCode: { DeviceNotRegistered: 1 }, tokensToRemove: 1 },
    ]);
    expect(await readFile(removePath, 'utf8')).toBe(`${tok('b')}\n`);

    const fromArgs = await run(['receipts', '--base-url', server.url, first, 'unknown-id']);
    expect(fromArgs).toEqual({ code: 0, stderr: '', stdout: `ok       ${first}\npending  unknown-id\nReceipts: 1 ok, 0 error, 1 pending; 0 tokens to remove\n` });
  });

  it('send --file - reads standard input', async () => {
    const server = await emulator();
    // Split mid-token: the spooled copy is whole again.
    const stdin = Readable.from([`${tok('in1')}\nExponentPushTo`, `ken[in2]\n\n${tok('in3')}\n`]);
    const result = await run(['send', '--base-url', server.url, '--file', '-', '--title', 'Hi', '--quiet'], { stdin });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(server.emulator.notifications.map((notification) => notification.token)).toEqual([tok('in1'), tok('in2'), tok('in3')]);
  });

  it('--dry-run checks a file and sends nothing', async () => {
    const server = await emulator();
    const result = await run(['send', '--base-url', server.url, '--file', join(FIXTURES, 'messages-with-bad-lines.csv'), '--dry-run', '--skip-invalid']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('3 valid messages for 5 recipients; 3 invalid lines\nDry run: nothing was sent.\n');
    expect(server.emulator.requests).toHaveLength(0);
  });

  it('an interrupted send stops, says how many were not sent, and exits 1', async () => {
    const server = await emulator();
    // Slow requests, so the abort lands mid-send.
    server.emulator.injectFault({ kind: 'delay', ms: 150 }, { endpoint: 'send', times: Number.POSITIVE_INFINITY });
    const file = await tokenFile('interrupt.txt', Array.from({ length: 2000 }, (_, n) => tok(`int${n}`)));
    const controller = new AbortController();
    const started = start(['send', '--base-url', server.url, '--file', file, '--title', 'Hi', '--json'], { signal: controller.signal });
    await until(() => started.stdout().includes('"type":"ticket"'), 'the first ticket');
    controller.abort(new Error('Interrupted by SIGINT'));
    expect(await started.done).toBe(1);
    expect(started.stderr()).toMatch(/Interrupted: no ticket for \d+ of 2000 recipients \(those in requests cut short may have been delivered\)\.\n/);
    const summary = jsonLines(started.stdout()).at(-1) as { type: string; recipients: number; notSent: number };
    expect(summary.type).toBe('summary');
    expect(summary.notSent).toBeGreaterThan(0);
    expect(summary.recipients + summary.notSent).toBe(2000);
  });

  it('emulator serves until its signal aborts, then reports what it served; exit 0', async () => {
    const controller = new AbortController();
    const served = start(['emulator', '--unregistered', tok('gone'), '--json'], { signal: controller.signal });
    await until(() => served.stdout().includes('\n'), 'the listening line');
    const { url } = JSON.parse(served.stdout().split('\n')[0] as string) as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const sent = await run(['send', '--base-url', url, '--to', tok('gone'), '--to', tok('ok')]);
    expect(sent.code).toBe(1);
    controller.abort();
    expect(await served.done).toBe(0);
    expect(jsonLines(served.stdout())[1]).toEqual({ type: 'summary', sendRequests: 1, receiptRequests: 0, rateLimited: 0, recipientsAccepted: 1, faultsApplied: 0 });
  });

  it('demo --json runs the demo and prints its summary', async () => {
    const result = await run(['demo', '--json']);
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout)).toEqual([expect.objectContaining({ type: 'summary', recipients: 1004, rejectedBeforeSending: 4, ticketsOk: 995 })]);
  });
});

describe('the expo-push executable (bundled from src/cli/bin.ts)', () => {
  let cli: string;
  let server: EmulatorServer;
  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    cli = join(scratch, 'cli.js');
    await build({
      entryPoints: [resolve(import.meta.dirname, '../src/cli/bin.ts')],
      outfile: cli,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node18',
      define: { __SDK_VERSION__: '"test"' },
      logLevel: 'silent',
    });
    server = await serveEmulator({ unregisteredTokens: [tok('gone')] });
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await server?.close();
  });

  /** A clean environment pointing at the test's emulator: no token or URL leaks in from outside. */
  const env = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', EXPO_PUSH_BASE_URL: server.url });

  function exec(args: string[], options: { stdin?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [cli, ...args], { env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
      children.add(child);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        children.delete(child);
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(options.stdin ?? '');
    });
  }

  it('exits 0 when every recipient succeeded, 1 when some failed, 2 for a usage error', async () => {
    const ok = await exec(['send', '--to', tok('a'), '--title', 'Hi']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok {5}ExponentPushToken\[a\]/);
    expect((await exec(['send', '--to', tok('a'), '--to', tok('gone'), '--title', 'Hi'])).code).toBe(1);
    const usage = await exec(['send', '--too', tok('a')]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Unknown option '--too'");
    const badLines = await exec(['send', '--file', join(FIXTURES, 'tokens-with-bad-lines.txt')]);
    expect(badLines.code).toBe(2);
    expect(badLines.stderr).toContain('line 4: to must be an Expo push token');
    expect((await exec(['--version'])).stdout).toBe('test\n');
  });

  it('send --file - reads standard input', async () => {
    const result = await exec(['send', '--file', '-', '--title', 'Hi', '--json'], { stdin: `${tok('stdin1')}\n${tok('stdin2')}\n` });
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout).map((record) => record.type)).toEqual(['ticket', 'ticket', 'summary']);
  });

  it('without a terminal, progress is plain lines on stderr, with no carriage returns', async () => {
    const file = await tokenFile('plain-progress.txt', Array.from({ length: 600 }, (_, n) => tok(`plain${n}`)));
    const result = await exec(['send', '--file', file, '--title', 'Hi']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr).toMatch(/^Checked .*plain-progress\.txt: 600 valid messages for 600 recipients\nSent 600\/600 recipients in \d+\.\d s \(\d+\/s\)\n$/);
    expect(result.stdout).toContain('  Tickets ok              600\n');
  });

  it('under a pseudo-terminal, progress is a bar redrawn in place with done/total, rate and ETA', async () => {
    // util-linux `script` provides the pseudo-terminal; it ships with every Debian-based image.
    expect(spawnSync('script', ['--version'], { encoding: 'utf8' }).status).toBe(0);
    const file = await tokenFile('pty-progress.txt', Array.from({ length: 600 }, (_, n) => tok(`pty${n}`)));
    const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
    const command = [process.execPath, cli, 'send', '--file', file, '--title', 'Hi'].map(quote).join(' ');
    // util-linux script: runs the command on a new pseudo-terminal; -e passes its exit code on.
    const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(child);
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        children.delete(child);
        resolve({ code, text });
      });
    });
    expect(output.code).toBe(0);
    const bars = output.text.split('\r\x1b[2K').filter((part) => part.startsWith('Sending ['));
    expect(bars.length).toBeGreaterThanOrEqual(2);
    for (const bar of bars) expect(bar).toMatch(/^Sending \[[=> ]{24}\] \d+\/600 {2}\d+% {2}(\d+|--)\/s {2}ETA (\d+:\d\d|--:--)$/);
    const counts = bars.map((bar) => Number(/ (\d+)\/600 /.exec(bar)?.[1]));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.at(-1)).toBeGreaterThan(counts[0] as number);
    expect(output.text).toMatch(/\r\x1b\[2KSent 600\/600 recipients in \d+\.\d s \(\d+\/s\)\r\n/);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`emulator prints its URL, serves until ${signal}, and exits 0`, async () => {
      const child = spawn(process.execPath, [cli, 'emulator', '--port', '0'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(child);
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      await until(() => stdout.includes('Press Ctrl+C to stop.'), 'the emulator to listen');
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1] as string;
      const sent = await run(['send', '--base-url', url, '--to', tok('a')]);
      expect(sent.code).toBe(0);
      child.kill(signal);
      expect(await exited).toBe(0);
      children.delete(child);
      expect(stdout).toContain('Stopped after 1 send and 0 receipt requests; 1 notification accepted.\n');
    });
  }
});
