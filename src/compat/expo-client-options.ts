import type { FetchFunction } from '../client-options.ts';

/**
 * Options of the compatibility {@link Expo} class: the official `expo-server-sdk` options, plus
 * `baseUrl`, `allowHttp` and `fetch` in place of what only Node offered. Every option is optional.
 */
export interface ExpoClientOptions {
  /**
   * Access token for Expo's "enhanced security for push notifications", sent as
   * `Authorization: Bearer …`. An empty string sends no header.
   * @default undefined (no Authorization header)
   */
  accessToken?: string;
  /**
   * Send requests in flight at once, per instance, retry waits included, as in the official SDK.
   * Receipt lookups are not limited, as in the official SDK.
   * @default 6
   */
  maxConcurrentRequests?: number;
  /**
   * First wait before retrying a send answered with HTTP 429, in milliseconds; it doubles for the
   * second (and last) retry.
   * @default 1000
   */
  retryMinTimeout?: number;
  /**
   * Accepted for source compatibility only and ignored: the web `fetch` has no agent. Pass a
   * `fetch` to change how requests are made.
   * @default undefined
   */
  httpAgent?: unknown;
  /**
   * Origin (and optional path prefix) of the push service; replaces the official SDK's
   * `EXPO_BASE_URL` environment variable.
   * @default 'https://exp.host'
   */
  baseUrl?: string;
  /**
   * Allow a plain `http://` base URL on a non-loopback host.
   * @default false
   */
  allowHttp?: boolean;
  /**
   * The fetch to send with. The default looks `globalThis.fetch` up at every request, so a fetch
   * mocked or intercepted after the instance was made is still used.
   * @default globalThis.fetch, looked up per request
   */
  fetch?: FetchFunction;
}
