/**
 * A mistake in the command line or in an input file. `main` reports it as one line without a stack
 * trace, because the fix is on the caller's side, and exits with code 2.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
