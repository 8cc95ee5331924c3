/** `npm run bench [-- suite ...]`: prints `BENCH <name> <value> <unit>` and writes bench-results/<suite>.json. */
import { join } from 'node:path';
import { type BenchLine, type Suite, writeResults } from './harness';
import { sharedLimiterBench } from './suites/aws-limiter';
import { appSuite } from './suites/app';
import { awsSuite } from './suites/aws';
import { campaignsSuite } from './suites/campaigns';
import { costsSuite } from './suites/costs';
import { dbSuite } from './suites/db';
import { forecastSuite } from './suites/forecast';
import { orchestratorSuite } from './suites/orchestrator';
import { sendingSuite } from './suites/sending';

// `aws` runs the sync's two metrics, then the shared limiter's: one line per metric, as the issue lists them.
const awsAll: Suite = {
  description: `${awsSuite.description}; two seats, one account, one shared rate budget (simulated 10 min)`,
  async run(report) {
    await awsSuite.run(report);
    await sharedLimiterBench(report);
  },
};

const SUITES: Record<string, Suite> = { db: dbSuite, orchestrator: orchestratorSuite, app: appSuite, costs: costsSuite, forecast: forecastSuite, sending: sendingSuite, campaigns: campaignsSuite, aws: awsAll };

async function main() {
  // Options (`--rows N`) belong to the suites, which read them from argv themselves.
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const asked = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const unknown = asked.filter((name) => !Object.hasOwn(SUITES, name));
  if (unknown.length) {
    process.stderr.write(`bench: unknown suite ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}\n`);
    process.exit(2);
  }
  for (const name of asked.length ? asked : Object.keys(SUITES)) {
    const suite = SUITES[name]!;
    process.stdout.write(`# ${name}: ${suite.description}\n`);
    const lines: BenchLine[] = [];
    await suite.run((line) => {
      lines.push(line);
      process.stdout.write(`BENCH ${line.name} ${line.value} ${line.unit}\n`);
      if (line.target) process.stdout.write(`# target ${line.name} ${line.target}\n`);
    });
    process.stdout.write(`# wrote ${writeResults(join(import.meta.dirname, '..'), name, lines)}\n`);
  }
}

void main();
