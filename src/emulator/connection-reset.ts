// A registered symbol rather than a module-local one or a class: the `/emulator` and `/node`
// entries are bundled separately, so an emulator made by one and served by the other must still
// recognise each other's resets.
const CONNECTION_RESET = Symbol.for('expo-push-edge.emulator.connection-reset');

/**
 * The rejection of a fetch whose connection was reset, shaped like undici's: a
 * `TypeError('fetch failed')` whose `cause` is `Error('read ECONNRESET')` with
 * `code: 'ECONNRESET'` and `syscall: 'read'`, marked for {@link isEmulatorConnectionReset}.
 */
export function connectionResetError(): TypeError {
  const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' });
  return Object.defineProperty(new TypeError('fetch failed', { cause }), CONNECTION_RESET, { value: true });
}

/**
 * Whether `error` is an emulator-injected connection reset, as opposed to any other failure; an
 * HTTP adapter uses it to reset the real connection instead of answering.
 */
export function isEmulatorConnectionReset(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[CONNECTION_RESET] === true;
}
