import * as v from 'valibot';
import { findNonJsonValue, isPlainObject } from './json-value.ts';
import { isExpoPushToken } from './push-token.ts';

type Issue = v.BaseIssue<unknown>;

const expected = (what: string) => (issue: Issue) => `must be ${what} (received ${issue.received})`;

const string = v.string(expected('a string'));

const nonNegativeInteger = (unit: string) =>
  v.pipe(
    v.number(expected(`a non-negative integer ${unit}`)),
    v.integer(expected(`a non-negative integer ${unit}`)),
    v.minValue(0, expected(`a non-negative integer ${unit}`)),
  );

const oneOf = <const T extends readonly string[]>(options: T) =>
  v.picklist(options, expected(`one of ${options.map((option) => JSON.stringify(option)).join(', ')}`));

const plainObject = <const T extends v.ObjectEntries>(entries: T, what: string) =>
  v.pipe(v.custom<Record<string, unknown>>(isPlainObject, expected(what)), v.looseObject(entries));

const token = (whenNotString: string) =>
  v.pipe(
    v.string(expected(whenNotString)),
    v.check((value: string) => isExpoPushToken(value), expected('an Expo push token such as ExponentPushToken[…]')),
  );

const tokenList = v.pipe(v.array(token('an Expo push token string')), v.minLength(1, 'must list at least one Expo push token'));

const singleToken = token('an Expo push token or a non-empty array of them');

const recipients = v.lazy((input) => (Array.isArray(input) ? tokenList : singleToken));

const jsonObject = v.pipe(
  v.custom<Record<string, unknown>>(isPlainObject, expected('a JSON object')),
  v.check(
    (value) => findNonJsonValue(value) === undefined,
    (issue) => {
      const found = findNonJsonValue(issue.input);
      return `must be a JSON object, but data${found?.path ?? ''} is not JSON: ${found?.problem ?? 'unknown value'}`;
    },
  ),
);

const soundObject = plainObject(
  {
    critical: v.nullish(v.boolean(expected('a boolean'))),
    name: v.nullish(string),
    volume: v.nullish(
      v.pipe(
        v.number(expected('a number from 0 to 1')),
        v.minValue(0, expected('a number from 0 to 1')),
        v.maxValue(1, expected('a number from 0 to 1')),
      ),
    ),
  },
  'a sound name or a { critical, name, volume } object',
);

const sound = v.lazy((input) =>
  typeof input === 'object' && input !== null ? soundObject : v.string(expected('a sound name or a { critical, name, volume } object')),
);

const boolean = v.boolean(expected('a boolean'));

const MESSAGE_FIELDS = {
  to: recipients,
  data: v.nullish(jsonObject),
  title: v.nullish(string),
  body: v.nullish(string),
  subtitle: v.nullish(string),
  ttl: v.nullish(nonNegativeInteger('of seconds')),
  expiration: v.nullish(nonNegativeInteger('Unix time in seconds')),
  priority: v.nullish(oneOf(['default', 'normal', 'high'])),
  sound: v.nullish(sound),
  badge: v.nullish(nonNegativeInteger('badge count')),
  interruptionLevel: v.nullish(oneOf(['active', 'critical', 'passive', 'time-sensitive'])),
  channelId: v.nullish(string),
  icon: v.nullish(string),
  richContent: v.nullish(plainObject({ image: v.nullish(string) }, 'an object such as { image: "https://…" }')),
  categoryId: v.nullish(string),
  mutableContent: v.nullish(boolean),
  collapseId: v.nullish(string),
  tag: v.nullish(string),
  _contentAvailable: v.nullish(boolean),
  _displayInForeground: v.nullish(boolean),
  _category: v.nullish(string),
};

/** The fields of the service contract, checked by {@link pushMessageSchema}. */
export const KNOWN_MESSAGE_FIELDS: ReadonlySet<string> = new Set(Object.keys(MESSAGE_FIELDS));

/**
 * Every field of the service contract with its type and allowed values. `null` and `undefined`
 * are allowed on every optional field (they are dropped before sending), and unknown fields are
 * let through, because the service adds fields over time.
 */
export const pushMessageSchema = plainObject(MESSAGE_FIELDS, 'a message object');
