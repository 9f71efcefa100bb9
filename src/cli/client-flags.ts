import { PushClient } from '../index.ts';
import { UsageError } from './usage-error.ts';

/** The options every command that talks to the push service takes. */
export const CLIENT_OPTIONS = {
  'access-token': { type: 'string' },
  'base-url': { type: 'string' },
} as const;

/** Help lines for {@link CLIENT_OPTIONS}, shared by the commands' help texts. */
export const CLIENT_OPTIONS_HELP = `Service options:
  --access-token <token>  Expo access token ("enhanced push security"). Defaults to the
                          EXPO_ACCESS_TOKEN environment variable, which is safer: command
                          lines are visible to other users. Never printed.
  --base-url <url>        Push service origin. Defaults to EXPO_PUSH_BASE_URL, else
                          https://exp.host. Plain http is allowed on loopback only, e.g. the
                          URL printed by 'expo-push emulator'.`;

/**
 * A client for the service the flags or the environment name. A flag wins over the environment,
 * and an empty value counts as unset, so `EXPO_ACCESS_TOKEN= expo-push …` sends no token.
 * @throws {UsageError} for a malformed URL or token; the message never contains the token.
 */
export function clientFromFlags(
  values: { readonly 'access-token'?: string | undefined; readonly 'base-url'?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): PushClient {
  const accessToken = values['access-token'] ?? env.EXPO_ACCESS_TOKEN ?? '';
  const baseUrl = values['base-url'] ?? env.EXPO_PUSH_BASE_URL ?? '';
  try {
    return new PushClient({ accessToken, baseUrl });
  } catch (error) {
    // The client's option checks name the problem and never echo the token itself.
    if (error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
}
