import type { PushMessage } from './push-message.ts';
import { PushResult, type PushResultInit } from './push-result.ts';

/** What {@link PushTicket} is built from. */
export interface PushTicketInit extends PushResultInit {
  /** The receipt id, present on `ok` tickets and on some error tickets. */
  readonly id?: string | undefined;
  /** The recipient the ticket is for. */
  readonly token: string;
  /** The message it answers, as the caller passed it. */
  readonly pushMessage: PushMessage;
}

/**
 * The service's immediate answer for one recipient. An `ok` ticket carries the `id` to look the
 * receipt up with later; an `error` ticket says why the notification was not accepted.
 */
export class PushTicket extends PushResult {
  /** The receipt id, present on `ok` tickets and on some error tickets. */
  readonly id: string | undefined;
  /** The recipient this ticket is for (one token of the message's `to`). */
  readonly token: string;
  /** The message this ticket answers, exactly as the caller passed it. */
  readonly pushMessage: PushMessage;

  constructor(init: PushTicketInit) {
    super(init);
    this.id = init.id;
    this.token = init.token;
    this.pushMessage = init.pushMessage;
  }

  /** The ticket as plain JSON (without the message), for storing next to the token. */
  toJSON(): { status: 'ok' | 'error'; id?: string; message?: string; details?: Record<string, unknown>; token: string } {
    return omitUndefined({ status: this.status, id: this.id, message: this.message, details: this.details, token: this.token });
  }
}

function omitUndefined<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}
