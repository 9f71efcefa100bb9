// The scenarios, in the order they run and appear in the table. Add a module here to add one.
export const SCENARIO_FILES = ['rate-limit.mjs', 'throughput.mjs', 'memory-at-scale.mjs'];
