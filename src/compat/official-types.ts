/** An Expo push token, such as `ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]`. Same as the official SDK's type. */
export type ExpoPushToken = string;

/** A receipt id, taken from an `ok` ticket. Same as the official SDK's type. */
export type ExpoPushReceiptId = string;

/** A push message, shaped exactly as the official `expo-server-sdk` types it. */
export type ExpoPushMessage = {
  to: ExpoPushToken | ExpoPushToken[];
  data?: Record<string, unknown>;
  title?: string;
  subtitle?: string;
  body?: string;
  sound?: string | null | { critical?: boolean; name?: string | null; volume?: number };
  ttl?: number;
  expiration?: number;
  priority?: 'default' | 'normal' | 'high';
  interruptionLevel?: 'active' | 'critical' | 'passive' | 'time-sensitive';
  badge?: number;
  channelId?: string;
  icon?: string;
  richContent?: { image?: string };
  categoryId?: string;
  mutableContent?: boolean;
  collapseId?: string;
  tag?: string;
  _contentAvailable?: boolean;
};

/** A ticket for a notification the service accepted; `id` is the receipt id. */
export type ExpoPushSuccessTicket = { status: 'ok'; id: ExpoPushReceiptId };

/** A receipt for a notification that was delivered to Apple or Google. */
export type ExpoPushSuccessReceipt = {
  status: 'ok';
  details?: object;
  __debug?: any;
};

/** A ticket or receipt for a notification that failed. */
export type ExpoPushErrorReceipt = {
  status: 'error';
  message: string;
  details?: {
    error?:
      | 'DeveloperError'
      | 'DeviceNotRegistered'
      | 'ExpoError'
      | 'InvalidCredentials'
      | 'MessageRateExceeded'
      | 'MessageTooBig'
      | 'ProviderError';
    expoPushToken?: string;
  };
  __debug?: any;
};

/** A ticket for a notification the service refused. */
export type ExpoPushErrorTicket = ExpoPushErrorReceipt;

/** One element of what `sendPushNotificationsAsync` resolves with, in recipient order. */
export type ExpoPushTicket = ExpoPushSuccessTicket | ExpoPushErrorTicket;

/** One value of the object `getPushNotificationReceiptsAsync` resolves with. */
export type ExpoPushReceipt = ExpoPushSuccessReceipt | ExpoPushErrorReceipt;
