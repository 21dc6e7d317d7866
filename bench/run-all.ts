/**
 * `npm run bench`: every benchmark in turn, each bounded in count and time, all load on 127.0.0.1.
 * Prints a summary per benchmark and writes the full results to reports/bench/<name>.json.
 *   npm run bench                      all of them
 *   npm run bench -- suite throughput  only those (names: suite, throughput, sockets, fuzz, flood, abuse, fanout)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchLongFuzz } from './fuzz.js';
import { benchFanOut, describeFanOut } from './fan-out.js';
import { benchFrameFlood, describeFrameFlood } from './frame-flood.js';
import { describeFuzz, describeSockets, describeSuite, describeThroughput } from './describe-results.js';
import { benchServerAbuse, describeServerAbuse } from './server-abuse.js';
import { benchSocketScale } from './socket-scale.js';
import { benchSuiteWallTime } from './suite-wall-time.js';
import { PROJECT_ROOT } from './support/run-cli.js';
import { benchTokenThroughput } from './token-throughput.js';

interface Bench {
  name: string;
  run: () => Promise<unknown>;
  describe: (result: never) => string;
}

const BENCHES: Bench[] = [
  { name: 'suite', run: () => benchSuiteWallTime(), describe: describeSuite },
  { name: 'throughput', run: () => benchTokenThroughput(), describe: describeThroughput },
  { name: 'sockets', run: () => benchSocketScale(), describe: describeSockets },
  { name: 'fuzz', run: () => benchLongFuzz(), describe: describeFuzz },
  { name: 'flood', run: () => benchFrameFlood(), describe: describeFrameFlood },
  { name: 'abuse', run: () => benchServerAbuse(), describe: describeServerAbuse },
  { name: 'fanout', run: () => benchFanOut(), describe: describeFanOut },
];

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((name) => !BENCHES.some((b) => b.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')}; choose from ${BENCHES.map((b) => b.name).join(', ')}\n`);
    return 2;
  }
  const chosen = argv.length > 0 ? BENCHES.filter((b) => argv.includes(b.name)) : BENCHES;
  const outDir = path.join(PROJECT_ROOT, 'reports', 'bench');
  mkdirSync(outDir, { recursive: true });
  process.stdout.write(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, node ${process.version}, ${os.platform()} ${os.release()}\n\n`);
  for (const bench of chosen) {
    const started = Date.now();
    const loadBefore = loadAverage();
    process.stdout.write(`== ${bench.name} ==\n`);
    const result = await bench.run();
    // Other processes on the machine skew every number here: the load average says how busy it was.
    const machine = { loadAverageBefore: loadBefore, loadAverageAfter: loadAverage(), cpus: os.cpus().length };
    writeFileSync(path.join(outDir, `${bench.name}.json`), `${JSON.stringify({ machine, result }, null, 2)}\n`);
    process.stdout.write(
      `${bench.describe(result as never)}\n(${Math.round((Date.now() - started) / 1000)} s; load average ${loadBefore} → ${machine.loadAverageAfter}; full results in reports/bench/${bench.name}.json)\n\n`,
    );
  }
  return 0;
}

function loadAverage(): string {
  return os.loadavg().map((n) => n.toFixed(2)).join(' ');
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
