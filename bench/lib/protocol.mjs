/** Prefix of the one stdout line a client child reports its result on. */
export const RESULT_MARKER = '@@bench-result ';
