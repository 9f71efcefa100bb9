import { describe, expect, it } from 'vitest';
import {
  DeviceNotRegisteredError,
  InvalidCredentialsError,
  MessageRateExceededError,
  MessageTooBigError,
  PushError,
  PushReceipt,
  PushTicket,
  PushTicketError,
} from '../src/index.ts';
import { token } from './helpers/scripted-fetch.ts';

const errorTicket = (code: string | undefined, message = `failed with ${code}`) =>
  new PushTicket({
    status: 'error',
    message,
    details: code === undefined ? undefined : { error: code, expoPushToken: token(1), fcm: { httpStatus: 401 } },
    token: token(1),
    pushMessage: { to: token(1) },
  });

describe('PushTicket.validateResponse', () => {
  it('does nothing for an ok ticket', () => {
    const ticket = new PushTicket({ status: 'ok', id: 'x', token: token(1), pushMessage: { to: token(1) } });
    expect(ticket.isSuccess()).toBe(true);
    expect(() => ticket.validateResponse()).not.toThrow();
  });

  it.each([
    ['DeviceNotRegistered', DeviceNotRegisteredError],
    ['MessageTooBig', MessageTooBigError],
    ['MessageRateExceeded', MessageRateExceededError],
    ['InvalidCredentials', InvalidCredentialsError],
    ['ProviderError', PushTicketError],
    ['MismatchSenderId', PushTicketError],
    ['SomethingNew2031', PushTicketError],
    ['toString', PushTicketError],
  ])('throws the class for %s, carrying the ticket', (code, ErrorClass) => {
    const ticket = errorTicket(code);
    expect(ticket.isSuccess()).toBe(false);
    const error = (() => {
      try {
        ticket.validateResponse();
      } catch (caught) {
        return caught;
      }
    })() as PushTicketError;
    expect(error.constructor).toBe(ErrorClass);
    expect(error).toBeInstanceOf(PushTicketError);
    expect(PushError.isPushError(error)).toBe(true);
    expect({ name: error.name, message: error.message, code: error.code }).toEqual({
      name: ErrorClass.name,
      message: `failed with ${code}`,
      code,
    });
    expect(error.pushResponse).toBe(ticket);
  });

  it('throws PushTicketError when the service gave no code', () => {
    const ticket = errorTicket(undefined, '');
    expect(() => ticket.validateResponse()).toThrow(new PushTicketError(ticket));
    expect(() => ticket.validateResponse()).toThrow('The Expo push service reported an error');
  });

  it('keeps details verbatim, nested provider blocks included', () => {
    expect(errorTicket('InvalidCredentials').details).toEqual({ error: 'InvalidCredentials', expoPushToken: token(1), fcm: { httpStatus: 401 } });
  });
});

describe('PushReceipt.validateResponse', () => {
  it('throws the same classes as tickets do', () => {
    const receipt = new PushReceipt({ id: 'r', status: 'error', message: 'gone', details: { error: 'DeviceNotRegistered' } });
    expect(() => receipt.validateResponse()).toThrow(DeviceNotRegisteredError);
    expect(new PushReceipt({ id: 'r', status: 'ok' }).isSuccess()).toBe(true);
    expect(() => new PushReceipt({ id: 'r', status: 'ok' }).validateResponse()).not.toThrow();
  });
});
