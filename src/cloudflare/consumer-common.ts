import type { PushClientOptions } from '../client-options.ts';
import { PushClient } from '../push-client.ts';
import type { QueueAction, QueueItem } from './decide-send-actions.ts';
import { type FromEnv, fromEnv, type QueueMessage } from './queue-types.ts';

/** Client options for the consumers unless the caller sets them: the queue does the retrying and the Durable Object the pacing, so the client must not also sleep in the Worker. */
const CONSUMER_CLIENT_DEFAULTS: PushClientOptions = { retry: false, rateLimit: false };

/** The default `client` option: the access token from the `EXPO_ACCESS_TOKEN` binding, if there is one. */
export function defaultClientOptions(env: unknown): PushClientOptions {
  const token = (env as { EXPO_ACCESS_TOKEN?: unknown } | undefined)?.EXPO_ACCESS_TOKEN;
  return typeof token === 'string' && token !== '' ? { accessToken: token } : {};
}

/** A client per `env` object, so that bindings read from `env` are honoured and a client is not rebuilt per batch. */
export function clientCache<Env>(option: FromEnv<Env, PushClientOptions> | undefined): (env: Env) => PushClient {
  const clients = new WeakMap<object, PushClient>();
  return (env) => {
    const key = typeof env === 'object' && env !== null ? env : clients;
    let client = clients.get(key);
    if (!client) {
      client = new PushClient({ ...CONSUMER_CLIENT_DEFAULTS, ...(option === undefined ? defaultClientOptions(env) : fromEnv(option, env)) });
      clients.set(key, client);
    }
    return client;
  };
}

/** Reads each message's fields once: a platform message may deserialise its body on every read. */
export function itemsOf(messages: readonly QueueMessage[]): QueueItem[] {
  return messages.map((message) => ({ id: message.id, attempts: message.attempts, body: message.body }));
}

/** Issues the decided actions, only once every effect has run: until then a crash leaves the batch to be delivered again. */
export function applyActions(messages: readonly QueueMessage[], actions: readonly QueueAction[]): void {
  messages.forEach((message, index) => {
    const action = actions[index] ?? { action: 'retry', delaySeconds: 0 };
    if (action.action === 'ack') message.ack();
    else message.retry({ delaySeconds: action.delaySeconds });
  });
}

/** How a consumer reports a callback of the caller's that threw. */
export type CallbackErrorHandler<Env> = (error: unknown, effect: { readonly type: string }, env: Env) => void | Promise<void>;

/**
 * Runs one of the caller's callbacks. A callback that throws does not fail the batch: the batch
 * would be delivered again and its notifications sent twice. The error goes to `onError`, or to
 * the console by default (with the effect type only: messages may hold personal data).
 */
export async function runCallback<Env, E extends { readonly type: string }>(
  callback: (() => unknown) | undefined,
  effect: E,
  env: Env,
  onError: CallbackErrorHandler<Env> | undefined,
): Promise<void> {
  if (!callback) return;
  try {
    await callback();
  } catch (error) {
    if (onError) await onError(error, effect, env);
    else console.error(`expo-push-edge/cloudflare: the ${effect.type} callback threw`, error);
  }
}
