import type { PushResult } from '../push-result.ts';
import { PushError } from './push-error.ts';

/**
 * A ticket or receipt reported an error. Thrown by `validateResponse()`; the subclasses name the
 * codes a sender must act on, and this class stands for any other or unknown code.
 */
export class PushTicketError extends PushError {
  /** The `details.error` code, such as `ProviderError`; `undefined` when the service gave none. */
  readonly code: string | undefined;
  /** The ticket or receipt that reported the error. */
  readonly pushResponse: PushResult;

  constructor(pushResponse: PushResult) {
    const code = pushResponse.details?.error;
    super(pushResponse.message || `The Expo push service reported ${code ?? 'an error'}`);
    this.name = 'PushTicketError';
    this.code = code;
    this.pushResponse = pushResponse;
  }
}

/** `DeviceNotRegistered`: the token is dead or malformed. Stop sending to it. */
export class DeviceNotRegisteredError extends PushTicketError {
  constructor(pushResponse: PushResult) {
    super(pushResponse);
    this.name = 'DeviceNotRegisteredError';
  }
}

/** `MessageTooBig`: the provider payload exceeded 4096 bytes. Shrink `data` or the text. */
export class MessageTooBigError extends PushTicketError {
  constructor(pushResponse: PushResult) {
    super(pushResponse);
    this.name = 'MessageTooBigError';
  }
}

/** `MessageRateExceeded`: too many messages to this device. Retry later with backoff. */
export class MessageRateExceededError extends PushTicketError {
  constructor(pushResponse: PushResult) {
    super(pushResponse);
    this.name = 'MessageRateExceededError';
  }
}

/** `InvalidCredentials`: push credentials are missing, invalid or revoked. Fix them before retrying. */
export class InvalidCredentialsError extends PushTicketError {
  constructor(pushResponse: PushResult) {
    super(pushResponse);
    this.name = 'InvalidCredentialsError';
  }
}

const ERROR_CLASS_BY_CODE: Readonly<Record<string, new (pushResponse: PushResult) => PushTicketError>> = {
  DeviceNotRegistered: DeviceNotRegisteredError,
  MessageTooBig: MessageTooBigError,
  MessageRateExceeded: MessageRateExceededError,
  InvalidCredentials: InvalidCredentialsError,
};

/** The error `validateResponse()` throws for a failed ticket or receipt. */
export function ticketErrorFor(pushResponse: PushResult): PushTicketError {
  const code = pushResponse.details?.error;
  const ErrorClass = code !== undefined && Object.hasOwn(ERROR_CLASS_BY_CODE, code) ? ERROR_CLASS_BY_CODE[code] : undefined;
  return ErrorClass ? new ErrorClass(pushResponse) : new PushTicketError(pushResponse);
}
