import { type PushClientOptions, resolveClientOptions } from '../client-options.ts';
import { PushClient } from '../push-client.ts';
import { checkCallback, hasMethods } from './check-options.ts';
import { checkItems, describeOutcome, type QueueAction, type QueueItem } from './decide-send-actions.ts';
import { type FromEnv, fromEnv, type QueueMessage } from './queue-types.ts';

/** Client options for the consumers unless the caller sets them: the queue does the retrying and the Durable Object the pacing, so the client must not also sleep in the Worker. */
const CONSUMER_CLIENT_DEFAULTS: PushClientOptions = { retry: false, rateLimit: false };

/** The access token from the `EXPO_ACCESS_TOKEN` binding, if there is one: the default under the caller's client options. */
export function defaultClientOptions(env: unknown): PushClientOptions {
  const token = (env as { EXPO_ACCESS_TOKEN?: unknown } | undefined)?.EXPO_ACCESS_TOKEN;
  return typeof token === 'string' && token !== '' ? { accessToken: token } : {};
}

/**
 * The caller's client options without their `undefined` values, so that a function such as
 * `(env) => ({ accessToken: env.EXPO_ACCESS_TOKEN, baseUrl: env.EXPO_PUSH_BASE_URL })` with an
 * unset binding keeps the default instead of clearing it.
 */
function definedOptions(options: unknown, source: string): PushClientOptions {
  if (options === undefined) return {};
  // The type only, never the value: a string here is likely the access token itself.
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${source} must be PushClient options, an object such as { baseUrl } (got ${Array.isArray(options) ? 'an array' : options === null ? 'null' : typeof options})`);
  }
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as PushClientOptions;
}

/**
 * Checks a consumer's `client` option when the consumer is created: a function (called with
 * `env`), or options, which are checked at once with the client's own checks, so a typo such as
 * `acessToken` fails at deploy time rather than with the first batch.
 */
export function checkClientOption(option: unknown): void {
  if (option === undefined || typeof option === 'function') return;
  resolveClientOptions({ ...CONSUMER_CLIENT_DEFAULTS, ...definedOptions(option, 'client') });
}

/**
 * A client per `env` object, so that bindings read from `env` are honoured and a client is not
 * rebuilt per batch. The options are, from weakest to strongest: the consumer defaults, the
 * `EXPO_ACCESS_TOKEN` binding, the caller's `client` options. The client's constructor throws a
 * `TypeError` for bad options; the consumers call this before sending anything, so that error
 * fails the batch (to be delivered again) instead of passing for a failed send.
 */
export function clientCache<Env>(option: FromEnv<Env, PushClientOptions> | undefined): (env: Env) => PushClient {
  const clients = new WeakMap<object, PushClient>();
  return (env) => {
    const key = typeof env === 'object' && env !== null ? env : clients;
    let client = clients.get(key);
    if (!client) {
      const own = definedOptions(option === undefined ? undefined : fromEnv(option, env), typeof option === 'function' ? 'client(env)' : 'client');
      client = new PushClient({ ...CONSUMER_CLIENT_DEFAULTS, ...defaultClientOptions(env), ...own });
      clients.set(key, client);
    }
    return client;
  };
}

/**
 * Checks a binding option when a consumer is created: a function of `env`, or the binding itself
 * with the methods named. (A function is only called, and its result checked, per batch.)
 */
export function checkBindingOption(name: string, value: unknown, methods: readonly string[], how: string): void {
  if (typeof value === 'function' || hasMethods(value, ...methods)) return;
  throw new TypeError(`${name} must be ${how} (got ${describeBinding(value)})`);
}

/** A binding's value as an error shows it: its type, or the methods it lacks. */
export function describeBinding(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value !== 'object') return typeof value;
  return `an object without ${Object.keys(value).length === 0 ? 'any methods' : 'the methods needed'}`;
}

/**
 * Checks a batch and reads each message's fields once (a platform message may deserialise its body
 * on every read). Called first, before anything is sent or looked up: a batch without a `messages`
 * array, a message without `ack()` and `retry()`, or an `attempts` that is not a positive integer
 * throws a `TypeError` then, so the batch fails (to be delivered again, and dead-lettered if it
 * lasts) instead of being sent and then failing with nothing acked. `fn` names the handler in errors.
 */
export function readBatch(batch: unknown, fn: string): { messages: readonly QueueMessage[]; items: QueueItem[] } {
  const messages: unknown = typeof batch === 'object' && batch !== null ? (batch as { messages?: unknown }).messages : undefined;
  if (!Array.isArray(messages)) {
    throw new TypeError(`${fn} expects a queue batch with a messages array, as a Worker's queue() handler receives it (got ${describeOutcome(batch)})`);
  }
  checkItems(messages, fn);
  messages.forEach((message, index) => {
    if (!hasMethods(message, 'ack', 'retry')) throw new TypeError(`${fn} messages[${index}] must be a queue message with ack() and retry()`);
  });
  return { messages, items: messages.map((message: QueueMessage) => ({ id: message.id, attempts: message.attempts, body: message.body })) };
}

/** Issues the decided actions, only once every effect has run: until then a crash leaves the batch to be delivered again. */
export function applyActions(messages: readonly QueueMessage[], actions: readonly QueueAction[]): void {
  messages.forEach((message, index) => {
    const action = actions[index] ?? { action: 'retry', delaySeconds: 0 };
    if (action.action === 'ack') message.ack();
    else message.retry({ delaySeconds: action.delaySeconds });
  });
}

/** How a consumer reports a callback of the caller's that threw. Its result is awaited. */
export type CallbackErrorHandler<Env> = (error: unknown, effect: { readonly type: string }, env: Env) => unknown;

/** Checks each `on*` option: a function, or absent. */
export function checkCallbacks(options: object): void {
  for (const [name, value] of Object.entries(options)) if (/^on[A-Z]/.test(name)) checkCallback(name, value);
}

/**
 * Runs one of the caller's callbacks. A callback that throws does not fail the batch: the batch
 * would be delivered again and its notifications sent twice. The error goes to `onError`, or to
 * the console by default (with the effect type only: messages may hold personal data). An
 * `onError` that throws in turn is caught too, for the same reason, and goes to the console.
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
    if (!onError) {
      console.error(`expo-push-edge/cloudflare: the ${effect.type} callback threw`, error);
      return;
    }
    try {
      await onError(error, effect, env);
    } catch (onErrorError) {
      console.error(`expo-push-edge/cloudflare: the ${effect.type} callback threw, and so did onError`, error, onErrorError);
    }
  }
}

/**
 * One console line per kind of effect that means a notification was not, or may not have been,
 * delivered and has no callback: `unhandled` maps each such effect type to how the line names it
 * (`{s}` and `{were}` agree with the count, `{codes}` lists the error codes) and the callback that
 * would have handled it. Counts, codes and queue message ids only: never tokens,
 * message bodies or the access token.
 */
export function warnWithoutCallbacks(
  effects: readonly { readonly type: string; readonly messageId: string; readonly code?: string | undefined }[],
  callbacks: { readonly [type: string]: unknown },
  unhandled: { readonly [type: string]: readonly [what: string, callback: string] },
): void {
  for (const [type, [what, callback]] of Object.entries(unhandled)) {
    if (callbacks[type]) continue;
    const found = effects.filter((effect) => effect.type === type);
    if (found.length === 0) continue;
    const codes = [...new Set(found.flatMap((effect) => (effect.code === undefined ? [] : [effect.code])))];
    const ids = found.map((effect) => effect.messageId).join(', ');
    // `{s}` and `{were}` agree with the count; the codes go in last, with a function so that no code is read as a pattern.
    const one = found.length === 1;
    const line = what
      .replace(/\{s\}/g, one ? '' : 's')
      .replace(/\{were\}/g, one ? 'was' : 'were')
      .replace('{codes}', () => codes.join(', ') || 'no code');
    console.warn(`expo-push-edge/cloudflare: ${found.length} ${line} and no ${callback} callback is set (queue message ids: ${ids})`);
  }
}
