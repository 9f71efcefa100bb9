// Throughput (skeleton): a large batch to an emulator without a rate limit, so the time is the
// clients' (and the loopback emulator's) own speed. expo-push-edge runs with its pacing off
// (`rateLimit: false`), since at its default it would send at 600/s by design; everything else is
// default. expo-server-sdk runs the same README loop as in the rate-limit scenario (one chunk at a
// time), so this compares each SDK as documented, not two equally parallel senders.

import { buildMessages } from '../lib/messages.mjs';
import { prepareExpoPushEdge, prepareExpoServerSdkReadmeLoop } from '../lib/senders.mjs';

export const name = 'throughput';
export const title = 'Throughput';
export const baseline = 'expo-server-sdk';

export function config({ quick }) {
  return { recipients: quick ? 5_000 : 20_000 };
}

export function emulatorOptions() {
  return { rateLimit: false, record: false };
}

/** No rate to be ideal against. */
export function idealSeconds() {
  return undefined;
}

export function timeoutMs() {
  return 300_000;
}

export const clients = {
  'expo-push-edge': {
    prepare: ({ url, config }) =>
      prepareExpoPushEdge({ url, total: config.recipients, ...buildMessages(config.recipients), clientOptions: { rateLimit: false } }),
  },
  'expo-server-sdk': {
    prepare: ({ url, config }) =>
      prepareExpoServerSdkReadmeLoop({ url, total: config.recipients, ...buildMessages(config.recipients) }),
  },
};
