/** How a message field's value is written as text, in a CSV cell or a command-line flag. */
type FieldKind = 'text' | 'number' | 'boolean' | 'json' | 'recipients' | 'sound';

/**
 * The message fields a CSV header or a flag can set, and how each is read from text. Numbers and
 * booleans are converted here; ranges and allowed values are left to the SDK's own validation, so
 * the CLI reports exactly what the library would.
 */
const FIELD_KINDS: Readonly<Record<string, FieldKind>> = {
  to: 'recipients',
  title: 'text',
  body: 'text',
  subtitle: 'text',
  data: 'json',
  sound: 'sound',
  badge: 'number',
  ttl: 'number',
  expiration: 'number',
  priority: 'text',
  channelId: 'text',
  categoryId: 'text',
  interruptionLevel: 'text',
  collapseId: 'text',
  tag: 'text',
  icon: 'text',
  richContent: 'json',
  mutableContent: 'boolean',
  _contentAvailable: 'boolean',
  _displayInForeground: 'boolean',
  _category: 'text',
};

/** Every field name {@link fieldForName} knows, for error messages. */
export const MESSAGE_FIELD_NAMES: readonly string[] = Object.keys(FIELD_KINDS);

// Header spellings vary between tools: `channelId`, `channel_id`, `Channel-ID` and
// `contentAvailable` all mean the same field.
const BY_LOOSE_NAME = new Map(MESSAGE_FIELD_NAMES.map((name) => [looseName(name), name]));

function looseName(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

/** The message field a CSV column name means, or `undefined` when it names none. */
export function fieldForName(name: string): string | undefined {
  return BY_LOOSE_NAME.get(looseName(name.trim()));
}

/** A value read from text, or why it could not be. */
export type FieldValue = { readonly value: unknown; readonly problem?: undefined } | { readonly value?: undefined; readonly problem: string };

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

/**
 * Reads one field's value from text. An empty text means the field is absent (`undefined`).
 * - `to`: one token, several separated by `;`, or a JSON array;
 * - `data` and `richContent`: JSON (non-objects are passed on for validation to reject);
 * - `sound`: a name, or a JSON object for a critical alert;
 * - `badge`, `ttl`, `expiration`: numbers; `mutableContent` and the `_…` flags: true/false, 1/0, yes/no.
 * @param field - a name from {@link MESSAGE_FIELD_NAMES}.
 */
export function readFieldValue(field: string, text: string): FieldValue {
  const trimmed = text.trim();
  if (trimmed === '') return { value: undefined };
  switch (FIELD_KINDS[field]) {
    case 'recipients':
      return trimmed.startsWith('[') ? readJson(trimmed) : readTokenList(trimmed);
    case 'json':
      return readJson(trimmed);
    case 'sound':
      return trimmed.startsWith('{') ? readJson(trimmed) : { value: text };
    case 'number': {
      const value = Number(trimmed);
      return Number.isFinite(value) ? { value } : { problem: `must be a number (got ${JSON.stringify(text)})` };
    }
    case 'boolean': {
      const word = trimmed.toLowerCase();
      if (TRUE_WORDS.has(word)) return { value: true };
      if (FALSE_WORDS.has(word)) return { value: false };
      return { problem: `must be true or false (got ${JSON.stringify(text)})` };
    }
    default:
      // Text is kept verbatim, spaces included: a title may well start with one.
      return { value: text };
  }
}

function readJson(text: string): FieldValue {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { problem: `is not valid JSON: ${(error as Error).message}` };
  }
}

function readTokenList(text: string): FieldValue {
  // A trailing or doubled separator is a spreadsheet habit, not a missing token.
  const tokens = text
    .split(';')
    .map((token) => token.trim())
    .filter((token) => token !== '');
  return { value: tokens.length === 1 ? tokens[0] : tokens };
}
