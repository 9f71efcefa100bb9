import { randomId } from './random-id.ts';
import type { EmulatorContext } from './context.ts';
import type { EmulatorState } from './emulator-state.ts';
import { errorResponse, validationError } from './error-response.ts';
import { jsonResponse } from './json-response.ts';
import { MAX_NOTIFICATIONS_PER_REQUEST } from './limits.ts';
import type { EmulatorMessage } from './message.ts';
import type { EmulatorNotification } from './notification.ts';
import { payloadSizeBytes } from './payload-size.ts';
import { isExpoPushToken } from './push-token.ts';
import { chargeRateLimit } from './rate-limit.ts';
import type { EmulatorReceiptBody } from './receipt.ts';
import {
  invalidTokenTicket,
  messageTooBigText,
  messageTooBigTicket,
  unregisteredTokenTicket,
  type EmulatorTicket,
} from './ticket.ts';
import { parseSendBody } from './validate-send-body.ts';

interface Recipient {
  readonly message: EmulatorMessage;
  readonly token: string;
}

/** Answers `POST /--/api/v2/push/send` for an already authorised request. */
export async function handleSend(context: EmulatorContext, state: EmulatorState): Promise<Response> {
  const body = await context.body();
  if (!body.ok) return errorResponse(body.status, body.error);
  const parsed = parseSendBody(body.text);
  if (!parsed.ok) return validationError(parsed.message);

  const recipients = parsed.messages.flatMap((message): Recipient[] =>
    typeof message.to === 'string' ? [{ message, token: message.to }] : message.to.map((token) => ({ message, token })),
  );
  if (recipients.length > MAX_NOTIFICATIONS_PER_REQUEST) {
    return errorResponse(400, {
      code: 'PUSH_TOO_MANY_NOTIFICATIONS',
      message: `You can send a maximum of ${MAX_NOTIFICATIONS_PER_REQUEST} notifications per request (received ${recipients.length}); divide your requests.`,
    });
  }

  const projects = projectsOf(recipients, state.options.projectOf);
  if (projects.size > 1) {
    return errorResponse(400, {
      code: 'PUSH_TOO_MANY_EXPERIENCE_IDS',
      message:
        'All push notification messages in the same request must be for the same project; check the details field to investigate conflicting tokens.',
      // fromEntries defines own properties, so a project named "__proto__" stays an ordinary key.
      details: Object.fromEntries([...projects].map(([project, tokens]) => [project, [...tokens]])),
    });
  }

  // Last of the request-level checks: a request the service would refuse anyway must not spend the
  // sender's budget, and a 400 tells the client more than a 429 it would retry in vain.
  // One clock reading for both, so the bucket and the recorded receivedAt always agree.
  const receivedAt = state.options.now();
  const limited = chargeRateLimit(state, recipients.length, receivedAt);
  if (limited !== undefined) return limited;

  const batch: Batch = {
    state,
    // Only malformed tokens lack a project, and they never reach the point where it is read.
    project: projects.keys().next().value ?? '',
    receivedAt,
    sizes: new Map(),
  };
  const tickets = recipients.map((recipient) => ticketFor(batch, recipient));

  // Contract §4.1: only a lone message addressed to a lone string token gets a bare ticket.
  const single = !parsed.isArray && typeof parsed.messages[0]?.to === 'string';
  return jsonResponse(200, { data: single ? tickets[0] : tickets });
}

/** What every recipient of one send request shares. */
interface Batch {
  readonly state: EmulatorState;
  readonly project: string;
  readonly receivedAt: number;
  /** Payload size per message, so a 100-token message is serialised once, not 100 times. */
  readonly sizes: Map<EmulatorMessage, number>;
}

function ticketFor(batch: Batch, { message, token }: Recipient): EmulatorTicket {
  const { state, project, receivedAt } = batch;
  const { options } = state;
  if (!isExpoPushToken(token)) return invalidTokenTicket(token);
  if (state.unregistered.has(token)) return unregisteredTokenTicket(token);
  let size = batch.sizes.get(message);
  if (size === undefined) batch.sizes.set(message, (size = payloadSizeBytes(message)));
  const tooBig = size > options.payloadLimitBytes;
  if (tooBig && options.messageTooBig === 'ticket') return messageTooBigTicket(token, size, options.payloadLimitBytes);

  const notification: EmulatorNotification = { id: randomId(), token, message, project, receivedAt };
  state.stats.recipientsAccepted += 1;
  if (options.record) state.notifications.push(notification);
  const custom = options.receiptFor?.(notification);
  if (custom !== null) {
    const receipt: EmulatorReceiptBody =
      custom ??
      (tooBig
        ? { status: 'error', message: messageTooBigText(size, options.payloadLimitBytes), details: { error: 'MessageTooBig' } }
        : { status: 'ok' });
    state.receipts.put(notification.id, receipt, receivedAt);
  }
  return { status: 'ok', id: notification.id };
}

/** Well-formed tokens grouped by project, each project's tokens in request order without repeats. */
function projectsOf(recipients: readonly Recipient[], projectOf: (token: string) => string): Map<string, Set<string>> {
  const projects = new Map<string, Set<string>>();
  for (const { token } of recipients) {
    if (!isExpoPushToken(token)) continue;
    const project = projectOf(token);
    let tokens = projects.get(project);
    if (tokens === undefined) projects.set(project, (tokens = new Set()));
    tokens.add(token);
  }
  return projects;
}
