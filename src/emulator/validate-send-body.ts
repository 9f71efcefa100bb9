import { INVALID_JSON_MESSAGE, isJsonObject, joiLabel, parseJsonBody } from './json-body.ts';
import type { EmulatorMessage } from './message.ts';

/** A send body that passed validation, or the Joi-style message explaining the first problem. */
export type ParsedSendBody =
  | {
      readonly ok: true;
      /** Messages in request order (one for a single-object body). */
      readonly messages: readonly EmulatorMessage[];
      /** Whether the body was an array; a single object may get a single ticket back. */
      readonly isArray: boolean;
    }
  | { readonly ok: false; readonly message: string };

interface FieldRule {
  readonly accepts: (value: unknown) => boolean;
  readonly expectation: string;
}

const isString = (value: unknown): boolean => typeof value === 'string';
const string: FieldRule = { accepts: isString, expectation: 'must be a string' };
const number: FieldRule = { accepts: (value) => typeof value === 'number', expectation: 'must be a number' };
const boolean: FieldRule = { accepts: (value) => typeof value === 'boolean', expectation: 'must be a boolean' };
const object: FieldRule = { accepts: isJsonObject, expectation: 'must be of type object' };
const oneOf = (...values: string[]): FieldRule => ({
  accepts: (value) => typeof value === 'string' && values.includes(value),
  expectation: `must be one of [${values.join(', ')}]`,
});

// Order matters: it decides which problem is reported when a message has several, and follows the
// field table of contract §2.1 so the reported one is predictable.
const FIELD_RULES: ReadonlyArray<readonly [field: string, rule: FieldRule]> = [
  ['data', object],
  ['title', string],
  ['body', string],
  ['subtitle', string],
  ['ttl', number],
  ['expiration', number],
  ['priority', oneOf('default', 'normal', 'high')],
  [
    'sound',
    {
      accepts: (value) => value === null || typeof value === 'string' || isJsonObject(value),
      expectation: 'must be a string, null or an object',
    },
  ],
  ['badge', number],
  ['interruptionLevel', oneOf('active', 'critical', 'passive', 'time-sensitive')],
  ['channelId', string],
  ['icon', string],
  ['richContent', object],
  ['categoryId', string],
  ['mutableContent', boolean],
  ['collapseId', string],
  ['tag', string],
  ['_contentAvailable', boolean],
  ['_displayInForeground', boolean],
  ['_category', string],
];

/**
 * Parses and validates a `/push/send` body: one message object or an array of them.
 * Unknown fields pass through untouched; token *shape* is not checked here because the service
 * reports malformed tokens per recipient in tickets, not as a request error.
 */
export function parseSendBody(text: string): ParsedSendBody {
  const json = parseJsonBody(text);
  if (!json.ok) return { ok: false, message: INVALID_JSON_MESSAGE };
  const body = json.value;
  const isArray = Array.isArray(body);
  if (!isArray && !isJsonObject(body)) {
    return { ok: false, message: `${joiLabel('')} must be an object or an array of objects` };
  }
  const messages: unknown[] = isArray ? body : [body];
  for (let index = 0; index < messages.length; index++) {
    const prefix = isArray ? `[${index}]` : '';
    const problem = messageProblem(messages[index], prefix);
    if (problem !== undefined) return { ok: false, message: problem };
  }
  return { ok: true, messages: messages as EmulatorMessage[], isArray };
}

function messageProblem(message: unknown, prefix: string): string | undefined {
  const at = (field: string): string => joiLabel(prefix === '' ? field : `${prefix}.${field}`);
  if (!isJsonObject(message)) return `${joiLabel(prefix)} must be of type object`;
  if (!Object.hasOwn(message, 'to')) return `${at('to')} is required`;
  const to = message.to;
  if (!(typeof to === 'string' || (Array.isArray(to) && to.every(isString)))) {
    return `${at('to')} must be a string or an array of strings`;
  }
  for (const [field, rule] of FIELD_RULES) {
    if (Object.hasOwn(message, field) && !rule.accepts(message[field])) {
      return `${at(field)} ${rule.expectation}`;
    }
  }
  return undefined;
}
