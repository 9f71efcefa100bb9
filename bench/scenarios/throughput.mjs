// Throughput: a large batch to an emulator without a rate limit, so the time is the clients' (and
// the loopback emulator's) own speed. expo-push-edge runs with its pacing off (`rateLimit: false`),
// since at its default it would send at 600/s by design; everything else is default (concurrency 6,
// validation on, gzip above 1 KiB through CompressionStream). expo-server-sdk runs the same README
// loop as in the rate-limit scenario (one chunk at a time), so this compares each SDK as
// documented. The floor posts the same recipients, pre-chunked and pre-serialized, through the
// global fetch with the same concurrency as expo-push-edge (6), uncompressed and unvalidated.
//
// Goals (issue 7): expo-push-edge at least as fast as the official SDK, and within 1.15× of the floor.

import { buildMessages } from '../lib/messages.mjs';
import { median } from '../lib/table.mjs';
import { prepareExpoPushEdge, prepareExpoServerSdkReadmeLoop, prepareFetchFloor } from '../lib/senders.mjs';

export const name = 'throughput';
export const title = 'Throughput';
export const baseline = 'expo-server-sdk';

export function config({ quick }) {
  return { recipients: quick ? 5_000 : 100_000 };
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
  'floor: bare fetch, pre-chunked JSON, concurrency 6': {
    prepare: ({ url, config }) => prepareFetchFloor({ url, total: config.recipients, ...buildMessages(config.recipients), concurrency: 6 }),
  },
};

/** A short section: expo-push-edge against the floor (the table's ratios are against the official SDK). */
export function details({ results }) {
  const floorName = Object.keys(clients)[2];
  const m = (client, key) => median(results[client].map((run) => run[key]));
  const ours = { wall: m('expo-push-edge', 'wallMs'), cpu: m('expo-push-edge', 'cpuMs') };
  const floor = { wall: m(floorName, 'wallMs'), cpu: m(floorName, 'cpuMs') };
  const sdk = { wall: m('expo-server-sdk', 'wallMs') };
  return [
    `## ${title}: expo-push-edge against the floor`,
    '',
    `- Time: ${(ours.wall / floor.wall).toFixed(2)}× the floor (goal ≤ 1.15×: ${ours.wall / floor.wall <= 1.15 ? 'met' : 'not met'}); ` +
      `${(ours.wall / sdk.wall).toFixed(2)}× the official SDK (goal ≤ 1.00×: ${ours.wall <= sdk.wall ? 'met' : 'not met'}).`,
    `- CPU: ${(ours.cpu / floor.cpu).toFixed(2)}× the floor's.`,
  ].join('\n');
}
