// The scenarios, in the order they run and appear in the tables (issue 7's order). Add a module here
// to add one. Compression comes after throughput: it puts gzip's CPU against throughput's.
export const SCENARIO_FILES = ['throughput.mjs', 'rate-limit.mjs', 'cold-start.mjs', 'bundle-size.mjs', 'memory-at-scale.mjs', 'compression.mjs'];
