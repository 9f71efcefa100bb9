import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.ts';

/** One option as Node's `parseArgs` describes it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
}

/** The options a command accepts, by long name. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/**
 * Parses a command's arguments strictly (unknown options and missing values are errors) with
 * Node's own `parseArgs`, and turns its errors into {@link UsageError}s so they exit with code 2.
 * @param args - the arguments after the command name.
 * @param options - the options the command accepts.
 * @param allowPositionals - whether bare arguments are allowed. @default false
 */
export function parseCommandLine<const T extends OptionSpecs>(args: readonly string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals });
  } catch (error) {
    // parseArgs reports bad input as a TypeError with an ERR_PARSE_ARGS_* code; anything else is a bug.
    if (error instanceof TypeError && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

/** Whether `--help` or `-h` appears before any `--` terminator. */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/**
 * Gives an option an optional value, which `parseArgs` cannot express: `--name 15` and
 * `--name=15` keep their value, a bare `--name` gets `fallback`. Only a number is taken as the
 * value, so `--wait-receipts --json` still reads `--json` as an option of its own.
 */
export function withOptionalValue(args: readonly string[], name: string, fallback: string): string[] {
  const flag = `--${name}`;
  const result: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--') {
      result.push(...args.slice(index));
      break;
    }
    if (arg !== flag) {
      result.push(arg);
      continue;
    }
    const next = args[index + 1];
    if (next !== undefined && /^\d+(?:\.\d+)?$/.test(next)) {
      result.push(`${flag}=${next}`);
      index++;
    } else {
      result.push(`${flag}=${fallback}`);
    }
  }
  return result;
}

/** Bounds of {@link parseNumberOption}. */
export interface NumberBounds {
  /** Smallest value allowed. @default 0 */
  readonly min?: number;
  /** Largest value allowed. @default Infinity */
  readonly max?: number;
  /** Whether only whole numbers are allowed. @default false */
  readonly integer?: boolean;
}

/**
 * Reads a numeric option, so `--port abc` fails as a usage error naming the option rather than as
 * NaN somewhere deep inside.
 * @param flag - the option as typed, e.g. `--port`, for the error message.
 */
export function parseNumberOption(flag: string, text: string, { min = 0, max = Number.POSITIVE_INFINITY, integer = false }: NumberBounds = {}): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  const ok = Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value));
  if (!ok) {
    const kind = integer ? 'a whole number' : 'a number';
    const range = max === Number.POSITIVE_INFINITY ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`${flag} must be ${kind} ${range} (got ${JSON.stringify(text)})`);
  }
  return value;
}
