import type { PushMessage } from '../index.ts';
import { readFieldValue } from './message-fields.ts';
import { UsageError } from './usage-error.ts';

/** The message fields settable from the command line, as `parseArgs` options. */
export const MESSAGE_OPTIONS = {
  title: { type: 'string' },
  body: { type: 'string' },
  subtitle: { type: 'string' },
  data: { type: 'string' },
  sound: { type: 'string' },
  badge: { type: 'string' },
  ttl: { type: 'string' },
  expiration: { type: 'string' },
  priority: { type: 'string' },
  'channel-id': { type: 'string' },
  'category-id': { type: 'string' },
  'interruption-level': { type: 'string' },
  'collapse-id': { type: 'string' },
  tag: { type: 'string' },
  'mutable-content': { type: 'boolean' },
  'content-available': { type: 'boolean' },
} as const;

/** Help lines for {@link MESSAGE_OPTIONS}. */
export const MESSAGE_OPTIONS_HELP = `Message options (with --file, defaults that fields in the file override):
  --title <text>               Notification title.
  --body <text>                Notification body.
  --subtitle <text>            iOS subtitle.
  --data <json>                JSON object delivered to the app, e.g. '{"orderId":42}'.
  --sound <name>               'default', or a bundled sound file name (iOS).
  --badge <n>                  iOS badge count; 0 clears it.
  --ttl <seconds>              How long the provider may hold the message for redelivery.
  --expiration <unix-seconds>  Drop the message after this time.
  --priority <p>               default, normal or high.
  --channel-id <id>            Android notification channel.
  --category-id <id>           Category for interactive notifications.
  --interruption-level <l>     iOS: active, critical, passive or time-sensitive.
  --collapse-id <id>           Collapse messages in transit.
  --tag <tag>                  Android: replace a displayed notification with the same tag.
  --mutable-content            iOS: let a notification service extension modify it.
  --content-available          iOS: wake the app in the background (silent push).`;

/** Which message field each text option sets. */
const TEXT_FLAG_FIELDS = {
  title: 'title',
  body: 'body',
  subtitle: 'subtitle',
  data: 'data',
  sound: 'sound',
  badge: 'badge',
  ttl: 'ttl',
  expiration: 'expiration',
  priority: 'priority',
  'channel-id': 'channelId',
  'category-id': 'categoryId',
  'interruption-level': 'interruptionLevel',
  'collapse-id': 'collapseId',
  tag: 'tag',
} as const;

type MessageFlagValues = { readonly [K in keyof typeof MESSAGE_OPTIONS]?: (typeof MESSAGE_OPTIONS)[K]['type'] extends 'boolean' ? boolean | undefined : string | undefined };

/**
 * The message fields the flags set, without `to`. Text is taken as given (an empty `--title ''`
 * sends an empty title); numbers, booleans and JSON are converted, and a value that cannot be
 * converted is a usage error naming the flag. Ranges and allowed values are checked later by the
 * SDK's validation, together with the rest of the message.
 * @throws {UsageError} for a flag whose value cannot be converted.
 */
export function messageFieldsFromFlags(values: MessageFlagValues): Partial<PushMessage> {
  const fields: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(TEXT_FLAG_FIELDS)) {
    const text = values[flag as keyof typeof TEXT_FLAG_FIELDS];
    if (text === undefined) continue;
    const read = readFieldValue(field, text);
    if (read.problem !== undefined) throw new UsageError(`--${flag} ${read.problem}`);
    fields[field] = read.value ?? text;
  }
  if (values['mutable-content']) fields.mutableContent = true;
  if (values['content-available']) fields._contentAvailable = true;
  return fields as Partial<PushMessage>;
}
