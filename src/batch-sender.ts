import { decodeTickets } from './decode-results.ts';
import { PushServerError } from './errors/push-server-error.ts';
import type { PushTicket } from './push-ticket.ts';
import type { PushTransport } from './push-transport.ts';
import { regroupByProject } from './regroup-by-project.ts';
import { type PlannedRecipient, requestBody } from './send-plan.ts';

/** Recipients of one failed request, and why it failed. */
export interface ChunkFailure {
  readonly recipients: PlannedRecipient[];
  readonly error: unknown;
}

/** What one chunk of recipients came to: a ticket per recipient that got one, and the failures. */
export interface ChunkResult {
  /** The chunk's recipients, in order. */
  readonly recipients: PlannedRecipient[];
  /** Aligned with `recipients`; `undefined` where the recipient is in a failure. */
  readonly tickets: Array<PushTicket | undefined>;
  /** Failed requests, in recipient order; together with the tickets they cover every recipient. */
  readonly failures: ChunkFailure[];
}

/**
 * Sends the chunks of one call. A request the service refuses for mixing projects is split by
 * project once (a part refused again is a failure, never another split). Once the service refuses
 * the credentials (HTTP 401 or 403), chunks not yet sent are failed with that error instead of
 * being sent: every one of them would be refused the same way.
 */
export class BatchSender {
  readonly #transport: PushTransport;
  readonly #signal: AbortSignal | undefined;
  #refusal: PushServerError | undefined;

  constructor(transport: PushTransport, signal: AbortSignal | undefined) {
    this.#transport = transport;
    this.#signal = signal;
  }

  /** Sends one chunk (contiguous recipients, at most one request's worth) and never rejects. */
  async send(recipients: PlannedRecipient[]): Promise<ChunkResult> {
    const result: ChunkResult = { recipients, tickets: new Array(recipients.length), failures: [] };
    const offset = recipients[0]?.index ?? 0;
    if (this.#refusal) result.failures.push({ recipients, error: this.#refusal });
    else await this.#sendInto(recipients, result, offset, true);
    result.failures.sort((a, b) => (a.recipients[0]?.index ?? 0) - (b.recipients[0]?.index ?? 0));
    return result;
  }

  async #sendInto(recipients: PlannedRecipient[], result: ChunkResult, offset: number, regroup: boolean): Promise<void> {
    try {
      const tickets = await this.#transport.post('send', requestBody(recipients), (data) => decodeTickets(data, recipients), {
        signal: this.#signal,
        recipients: recipients.length,
      });
      tickets.forEach((ticket, position) => {
        result.tickets[(recipients[position] as PlannedRecipient).index - offset] = ticket;
      });
    } catch (error) {
      if (error instanceof PushServerError && (error.status === 401 || error.status === 403)) this.#refusal ??= error;
      const split = regroup ? regroupByProject(error, recipients) : undefined;
      if (!split) {
        result.failures.push({ recipients, error });
        return;
      }
      if (split.unlisted.length > 0) result.failures.push({ recipients: split.unlisted, error });
      await Promise.all(split.groups.map((group) => this.#sendInto(group, result, offset, false)));
    }
  }
}
