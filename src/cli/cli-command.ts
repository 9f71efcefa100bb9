import type { CliIo } from './cli-io.ts';

/** One subcommand of `expo-push`. */
export interface CliCommand {
  /** What is typed after `expo-push`. */
  readonly name: string;
  /** One line for the command list of `expo-push --help`. */
  readonly summary: string;
  /** The full text of `expo-push <name> --help`. */
  readonly help: string;
  /**
   * Runs the command with the arguments after its name and returns the exit code.
   * @throws {UsageError} for a mistake in the arguments or the input (exit code 2).
   */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
