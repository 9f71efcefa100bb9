// Rate limit: a large batch to a service that admits 600 recipients per second (the emulator's
// token bucket answers 429 TOO_MANY_REQUESTS beyond that). What matters: recipients lost, and how
// close the completion time comes to the ideal recipients / 600 s.

import { buildMessages } from '../lib/messages.mjs';
import { prepareExpoPushEdge, prepareExpoServerSdkConcurrent, prepareExpoServerSdkReadmeLoop } from '../lib/senders.mjs';

export const name = 'rate-limit';
export const title = 'Rate limit';

/** The client the others are compared with. */
export const baseline = 'expo-server-sdk';

export function config({ quick }) {
  return { recipients: quick ? 2_000 : 10_000, perSecond: 600 };
}

export function emulatorOptions({ perSecond }) {
  return { rateLimit: { perSecond }, record: false };
}

/** Sending every recipient at exactly the service's rate. */
export function idealSeconds({ recipients, perSecond }) {
  return recipients / perSecond;
}

/** Generous: a stuck run is killed, never waited on for ever. */
export function timeoutMs(config) {
  return Math.round(idealSeconds(config) * 30_000 + 60_000);
}

export const clients = {
  // Defaults throughout: client-side pacing at 600/s (burst 100), concurrency 6, 2 retries.
  'expo-push-edge': {
    prepare: ({ url, config }) => prepareExpoPushEdge({ url, total: config.recipients, ...buildMessages(config.recipients) }),
  },
  'expo-server-sdk': {
    prepare: ({ url, config }) =>
      prepareExpoServerSdkReadmeLoop({ url, total: config.recipients, ...buildMessages(config.recipients) }),
  },
  // Contrast only: the same SDK with every chunk started at once (its own limit of 6 in flight).
  'expo-server-sdk, all chunks at once': {
    prepare: ({ url, config }) =>
      prepareExpoServerSdkConcurrent({ url, total: config.recipients, ...buildMessages(config.recipients) }),
  },
};
