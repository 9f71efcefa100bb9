/** The package version, inlined at build time by tsup and at test time by vitest. */
declare const __SDK_VERSION__: string;
