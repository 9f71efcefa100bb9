/** Every recipient succeeded (and, when receipts were awaited, none of them reported an error). */
export const EXIT_OK = 0;

/**
 * Some recipients failed: an error ticket or receipt, a request that failed for good, lines
 * skipped as invalid, or a run cut short. Scripts can tell this apart from a mistake in the call.
 */
export const EXIT_FAILED = 1;

/** The command line or an input file was wrong, and nothing was sent. */
export const EXIT_USAGE = 2;
