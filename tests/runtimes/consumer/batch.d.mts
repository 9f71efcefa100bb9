// Types of batch.mjs for the TypeScript tests that import it.
export declare const ACCESS_TOKEN: string;
export declare const UNREGISTERED_TOKEN: string;
export declare const UNREGISTERED_INDEX: number;
export declare const RECIPIENTS_PER_REQUEST: number;
export declare function makeBatch(): Array<Record<string, unknown> & { to: string | string[] }>;
export declare function recipientsOf(messages: ReadonlyArray<{ to: string | string[] }>): string[];
export declare function expectedSendBodies(messages: ReadonlyArray<{ to: string | string[] }>): string[];
