import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildDemoBatch } from '../src/cli/demo-batch.ts';
import { runDemo } from '../src/cli/run-demo.ts';
import { isExpoPushToken } from '../src/index.ts';

describe('buildDemoBatch', () => {
  it('builds at least 1,000 recipients with multi-recipient messages, data, and a few malformed and unregistered tokens', () => {
    const batch = buildDemoBatch();
    const tokens = batch.messages.flatMap((message) => (Array.isArray(message.to) ? message.to : [message.to]));
    expect(tokens).toHaveLength(batch.recipients);
    expect(batch.recipients).toBeGreaterThanOrEqual(1000);
    expect(batch.messages.filter((message) => Array.isArray(message.to)).length).toBeGreaterThan(10);
    expect(batch.messages.every((message) => message.data === undefined || typeof message.data === 'object')).toBe(true);
    expect(tokens.filter((token) => !isExpoPushToken(token))).toHaveLength(4);
    expect(batch.unregistered.every((token) => tokens.includes(token))).toBe(true);
    expect([...batch.receiptErrors.keys()].every((token) => tokens.includes(token))).toBe(true);
    // Multilingual text and emoji: right-to-left Arabic and a zero-width-joined family emoji.
    expect(batch.messages.some((message) => /[\u0600-\u06ff]/.test(String(message.title)))).toBe(true);
    expect(batch.messages.some((message) => String(message.title).includes('\u200d'))).toBe(true);
  });

  it('is the same batch on every run', () => {
    expect(JSON.stringify(buildDemoBatch())).toBe(JSON.stringify(buildDemoBatch()));
  });
});

describe('runDemo', () => {
  it('sends the batch through loopback HTTP, fetches receipts, and accounts for every recipient', async () => {
    const lines: string[] = [];
    const summary = await runDemo((line) => lines.push(line));
    expect({ ...summary, elapsedMs: 0 }).toEqual({
      recipients: 1004,
      rejectedBeforeSending: 4,
      ticketsOk: 995,
      ticketErrors: { DeviceNotRegistered: 5 },
      receiptsOk: 990,
      receiptErrors: { DeviceNotRegistered: 2, MessageRateExceeded: 1, MessageTooBig: 1, 'ProviderError (MismatchSenderId)': 1 },
      tokensToRemove: expect.any(Array),
      sendRequests: 10,
      receiptRequests: 1,
      gzipRequests: 11,
      elapsedMs: 0,
    });
    expect(summary.rejectedBeforeSending + summary.ticketsOk + 5).toBe(summary.recipients);
    expect(summary.tokensToRemove).toHaveLength(4 + 5 + 2);
    const batch = buildDemoBatch();
    expect(summary.tokensToRemove.slice(4).sort()).toEqual(
      [...batch.unregistered, ...[...batch.receiptErrors].filter(([, code]) => code === 'DeviceNotRegistered').map(([token]) => token)].sort(),
    );
    expect(lines).toContain('Summary');
    expect(lines).toContain('  Accounted for                     1004 of 1004  (refused + tickets ok + ticket errors)');
  });
});

describe('npm start (dist/demo.js)', () => {
  it('prints the summary and exits 0', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [resolve(import.meta.dirname, '../dist/demo.js')], { encoding: 'utf8' });
    expect(stdout).toMatch(/^expo-push-edge demo: sending through the push-service emulator at http:\/\/127\.0\.0\.1:\d+$/m);
    expect(stdout).toContain('  Recipients                        1004\n');
    expect(stdout).toContain('Tokens to remove (11):\n');
  });
});
