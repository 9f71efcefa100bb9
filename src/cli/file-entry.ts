import type { PushMessage } from '../index.ts';

/** Something wrong with one line of an input file, found before anything is sent. */
export interface LineProblem {
  /** 1-based line number in the file (for CSV, the line the record starts on). */
  readonly line: number;
  /** Field path inside the message, such as `to[2]` or `badge`; `''` for the line as a whole. */
  readonly path: string;
  /** What is wrong, in words. */
  readonly message: string;
}

/** One message read from an input file, or the problems that kept it from being read. */
export type FileEntry =
  | { readonly line: number; readonly message: PushMessage; readonly problems?: undefined }
  | { readonly line: number; readonly message?: undefined; readonly problems: readonly LineProblem[] };
