import { describe, expect, it } from 'vitest';
import { isExpoPushToken } from '../src/index.ts';

describe('isExpoPushToken', () => {
  it.each([
    ['ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]', true],
    ['ExponentPushToken[K-vKTfJIqUj18C0t_Yq_AT]', true],
    ['ExpoPushToken[K-vKTfJIqUj18C0t_Yq_AT]', true],
    ['ExponentPushToken[a]', true],
    ['ef157a47-61c2-4213-b066-96edad47b2ad', true],
    ['EF157A47-61C2-4213-B066-96EDAD47B2AD', true],
    ['01975b8d-8352-7beb-a3f0-ca195f91842c', true],
    ['ExponentPushToken[]', false],
    ['ExpoPushToken[]', false],
    ['ExponentPushToken[abc def]', false],
    ['ExponentPushToken[abc\tdef]', false],
    [' ExponentPushToken[abc]', false],
    ['ExponentPushToken[abc] ', false],
    ['ExponentPushToken[abc', false],
    ['ExponentPushTokenabc]', false],
    ['ExponentPushToken[a]b]', false],
    ['exponentpushtoken[abc]', false],
    ['ExpoNentPushToken[abc]', false],
    ['fcm:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx', false],
    ['dGVzdA:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqxpr8ADT6B0ir7Lf6U5bGuLFbQMSiZSiz2A4TJQRbwEFw0fZ7e1rZ1', false],
    ['740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad', false],
    ['ef157a47-61c2-4213-b066-96edad47b2a', false],
    ['ef157a4761c24213b06696edad47b2ad', false],
    ['', false],
  ])('returns %s → %s', (value, expected) => {
    expect(isExpoPushToken(value)).toBe(expected);
  });

  it.each([[undefined], [null], [42], [{}], [['ExponentPushToken[abc]']], [new String('ExponentPushToken[abc]')]])(
    'returns false when the value is not a string (%o)',
    (value) => {
      expect(isExpoPushToken(value)).toBe(false);
    },
  );
});
