/** An Expo push token: `ExponentPushToken[…]`, `ExpoPushToken[…]`, or the legacy UUID form. */
export type ExpoPushToken = string;

/** The iOS critical-alert form of `sound`. */
export interface PushSoundObject {
  /** Play as a critical alert (needs Apple's entitlement). */
  critical?: boolean;
  /** Sound file name, or `'default'`. */
  name?: string | null;
  /** Critical-alert volume, 0.0 to 1.0. */
  volume?: number;
}

/**
 * One push message, as the Expo push service takes it. Only `to` is required. Fields not listed
 * here are passed through unchanged, because the service adds fields over time.
 */
export interface PushMessage {
  /** One token, or several (each counts as one notification and gets its own ticket). */
  to: ExpoPushToken | ExpoPushToken[];
  /** JSON object delivered to the app (the whole payload must stay under 4 KiB). */
  data?: Record<string, unknown> | null;
  /** Notification title. */
  title?: string | null;
  /** Notification body text. */
  body?: string | null;
  /** iOS subtitle. */
  subtitle?: string | null;
  /** Seconds the provider may hold the message for redelivery; takes precedence over `expiration`. */
  ttl?: number | null;
  /** Unix time in seconds after which the message is dropped. */
  expiration?: number | null;
  /** Delivery priority; omitted means the platform default. */
  priority?: 'default' | 'normal' | 'high' | null;
  /** iOS sound: `'default'`, a bundled file name, `null`, or the critical-alert object. */
  sound?: string | PushSoundObject | null;
  /** iOS badge count; 0 clears it. */
  badge?: number | null;
  /** iOS interruption level. */
  interruptionLevel?: 'active' | 'critical' | 'passive' | 'time-sensitive' | null;
  /** Android notification channel. */
  channelId?: string | null;
  /** Android drawable resource name. */
  icon?: string | null;
  /** Rich content, such as an image URL. */
  richContent?: { image?: string; [field: string]: unknown } | null;
  /** Notification category for interactive notifications. */
  categoryId?: string | null;
  /** iOS: let a notification service extension modify the notification. */
  mutableContent?: boolean | null;
  /** Collapses messages in transit (and replaces a displayed one on iOS). */
  collapseId?: string | null;
  /** Android: replaces a displayed notification with the same tag. */
  tag?: string | null;
  /** iOS: wake the app in the background (silent push). */
  _contentAvailable?: boolean | null;
  /** Legacy field, accepted and ignored by the service. */
  _displayInForeground?: boolean | null;
  /** Legacy field, superseded by `categoryId`. */
  _category?: string | null;
  /** Fields the service added after this SDK was written. */
  [field: string]: unknown;
}
