/** The package version, inlined at build time so the core never reads `package.json` at run time. */
export const SDK_VERSION: string = __SDK_VERSION__;

/** The `User-Agent` the client sends, so the service can tell this SDK's traffic apart. */
export const USER_AGENT = `expo-push-edge/${SDK_VERSION}`;
