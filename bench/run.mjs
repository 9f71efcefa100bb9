#!/usr/bin/env node
// Benchmark harness entry: `npm run bench` (builds first), `npm run bench -- --quick`.
//
//   --quick            reduced sizes and 2 runs; prints, and writes bench/RESULTS.quick.md
//   --runs N           runs per client and scenario (default 5, quick 2; a scenario may ask for
//                      fewer by default, e.g. memory-at-scale runs 3 times in full mode)
//   --scenario a,b     only these scenarios (names: throughput, rate-limit, cold-start, bundle-size,
//                      memory-at-scale, compression)
//   --no-write         print only
//
// Progress goes to stderr, the Markdown table to stdout.

import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { installCleanup, isInterrupted } from './lib/children.mjs';
import { runScenario, runsFor } from './lib/runner.mjs';
import { figuresTable } from './lib/figures.mjs';
import { runsTable, summaryTable } from './lib/table.mjs';
import { SCENARIO_FILES } from './scenarios/index.mjs';

installCleanup();

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    scenario: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write('usage: npm run bench -- [--quick] [--runs N] [--scenario throughput,rate-limit,cold-start,bundle-size,memory-at-scale,compression] [--no-write]\n');
  process.exit(0);
}

const quick = values.quick;
const defaultRuns = quick ? 2 : 5;
const runsOption = values.runs === undefined ? undefined : Number(values.runs);
if (runsOption !== undefined && !(Number.isInteger(runsOption) && runsOption >= 1)) {
  throw new Error(`--runs must be a positive integer (got ${values.runs})`);
}
const log = (line) => process.stderr.write(`${line}\n`);

const scenarioFiles = SCENARIO_FILES.map((file) => fileURLToPath(new URL(`./scenarios/${file}`, import.meta.url)));
const scenarios = [];
for (const file of scenarioFiles) scenarios.push({ file, module: await import(pathToFileURL(file).href) });
const wanted = values.scenario?.split(',').map((s) => s.trim());
const selected = wanted ? scenarios.filter(({ module }) => wanted.includes(module.name)) : scenarios;
if (wanted && selected.length !== wanted.length) {
  throw new Error(`unknown scenario in ${values.scenario}; known: ${scenarios.map(({ module }) => module.name).join(', ')}`);
}

const runsOf = (module) => runsFor(module, { quick, runsOption, defaultRuns });
const runsLine = () => {
  const fewer = selected.filter(({ module }) => runsOf(module) !== (runsOption ?? defaultRuns));
  const except = fewer.map(({ module }) => `${module.title}: ${runsOf(module)}`).join(', ');
  return `${runsOption ?? defaultRuns}${except ? ` (${except})` : ''}`;
};

const started = new Date();
log(`expo-push-edge bench: ${quick ? 'quick' : 'full'} mode, ${runsLine()} run(s) per client and scenario`);
const scenarioResults = [];
// Scenarios with `measure` (cold start, bundle size, compression): one figure per row, second table.
const measuredResults = [];
try {
  for (const { file, module } of selected) {
    const runs = runsOf(module);
    const scenarioStarted = Date.now();
    log(`${module.title}:`);
    if (module.measure) {
      const measured = await module.measure({ quick, runs, log, previous: scenarioResults });
      measuredResults.push({ scenario: module, runs, ...measured });
    } else scenarioResults.push(await runScenario({ scenario: module, scenarioFile: file, quick, runs, log }));
    log(`  ${module.title}: ${((Date.now() - scenarioStarted) / 1000).toFixed(0)} s`);
  }
} catch (error) {
  // After Ctrl-C the runs fail because their processes were stopped; the signal handler exits.
  if (isInterrupted()) await new Promise(() => {});
  throw error;
}

const table = [
  scenarioResults.length > 0 ? summaryTable(scenarioResults) : undefined,
  measuredResults.length > 0 ? figuresTable(measuredResults) : undefined,
]
  .filter(Boolean)
  .join('\n\n');
// Scenarios may add a section of their own (e.g. memory checkpoints).
const detailSections = [
  ...scenarioResults.map((result) => result.scenario.details?.(result)),
  ...measuredResults.map((result) => result.details),
].filter(Boolean);
process.stdout.write(`\n${table}\n`);
for (const details of detailSections) process.stdout.write(`\n${details}\n`);

if (!values['no-write']) {
  // expo-server-sdk's exports map hides its package.json, so read the installed file directly.
  const readVersion = (path) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')).version;
  const sdkVersion = readVersion('../node_modules/expo-server-sdk/package.json');
  const ownVersion = readVersion('../package.json');
  const cpus = os.cpus();
  const target = fileURLToPath(new URL(quick ? './RESULTS.quick.md' : './RESULTS.md', import.meta.url));
  const text = [
    `# Benchmark results${quick ? ' (quick mode)' : ''}`,
    '',
    `- Date: ${started.toISOString()}`,
    `- CPUs: ${os.availableParallelism()} (os.availableParallelism()), model: ${cpus[0]?.model ?? 'unknown'}`,
    `- Node: ${process.version} (${process.platform} ${process.arch})`,
    `- Clients: expo-push-edge ${ownVersion} (built dist/), expo-server-sdk ${sdkVersion}`,
    `- Runs per client and scenario: ${runsLine()}; values are medians; "vs official" = median / median of expo-server-sdk`,
    `- Whole run: ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s (without the build)`,
    `- Command: npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    '',
    'expo-server-sdk is pinned to 6.1.0: 7.x requires Node >= 22.12, and 6.1.0 is the newest release that supports Node 20.',
    'See bench/README.md for what each column means.',
    '',
    table,
    '',
    '## Every run',
    '',
    ...(scenarioResults.length > 0 ? [runsTable(scenarioResults), ''] : ['(no client runs)', '']),
    ...detailSections.flatMap((details) => [details, '']),
  ].join('\n');
  writeFileSync(target, text);
  log(`wrote ${target}`);
}
