import { Expo } from './expo.ts';

export { Expo };
export default Expo;
export type { ExpoClientOptions } from './expo-client-options.ts';
export type { ExpoRequestError } from './official-error.ts';
export type {
  ExpoPushErrorReceipt,
  ExpoPushErrorTicket,
  ExpoPushMessage,
  ExpoPushReceipt,
  ExpoPushReceiptId,
  ExpoPushSuccessReceipt,
  ExpoPushSuccessTicket,
  ExpoPushTicket,
  ExpoPushToken,
} from './official-types.ts';
