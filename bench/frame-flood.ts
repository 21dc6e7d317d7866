/**
 * Peak memory of a CLI run against a server that floods every bound socket with 60 KB frames for
 * FLOOD_MS after its handshakes (issue 11 item 7; goal: ≤ 300 MB). The CLI's process tree (CLI,
 * Playwright runner, workers) is sampled from /proc every SAMPLE_MS: the peak of the sum of their
 * RSS, and of the largest one. The report files' sizes are recorded too: they must stay small.
 * A control run with the same server and command but no flood gives the baseline (six Node
 * processes: CLI, Playwright runner, four workers), so the flood's own cost can be read off.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHostileFhirServer } from '../test/support/hostile-fhir-server.js';
import { PROJECT_ROOT } from './support/run-cli.js';

const FRAME_BYTES = 60_000;
const FLOOD_MS = 6_000;
const SAMPLE_MS = 200;
const RUN_TIMEOUT_MS = 300_000;
/** The binding chapter: every scenario binds at least one socket, so every one of them is flooded. */
const GREP = '^binding\\.';
const CONFIG = 'timeouts:\n  http: 5s\n  connect: 5s\n  handshake: 5s\n  silence: 1s\n';

export interface FrameFloodResult {
  flood: FloodRun;
  control: FloodRun;
}

export interface FloodRun {
  command: string;
  frameBytes: number;
  floodMs: number;
  framesSent: number;
  megabytesSent: number;
  exitCode: number | null;
  wallMs: number;
  peakTreeRssMb: number;
  peakProcessRssMb: number;
  verdict?: string;
  scenarios?: number;
  reportFileSizesKb: Record<string, number>;
}

export async function benchFrameFlood(): Promise<FrameFloodResult> {
  const flood = await floodRun(true);
  const control = await floodRun(false);
  return { flood, control };
}

async function floodRun(flooding: boolean): Promise<FloodRun> {
  const server = await startHostileFhirServer(flooding ? { flood: { frameBytes: FRAME_BYTES, durationMs: FLOOD_MS } } : {});
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fwc-bench-flood-'));
  try {
    const config = path.join(dir, 'config.yaml');
    writeFileSync(config, CONFIG);
    const reportDir = path.join(dir, 'report');
    const args = ['bin/fhir-ws-conformance.js', '--server', server.url, '--config', config, '--grep', GREP, '--report-dir', reportDir];
    const run = await runSampled(args);
    const resultsFile = path.join(reportDir, 'results.json');
    const results = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { verdict: string; scenarios: unknown[] }) : undefined;
    return {
      command: `node ${args.join(' ').replace(server.url, '<flood server>').replace(dir, '<tmp>').replace(dir, '<tmp>')}`,
      frameBytes: FRAME_BYTES,
      floodMs: FLOOD_MS,
      framesSent: server.flooded.frames,
      megabytesSent: Math.round(server.flooded.bytes / 2 ** 20),
      ...run,
      ...(results ? { verdict: results.verdict, scenarios: results.scenarios.length } : {}),
      reportFileSizesKb: fileSizesKb(reportDir),
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function runSampled(args: string[]): Promise<{ exitCode: number | null; wallMs: number; peakTreeRssMb: number; peakProcessRssMb: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env: { ...process.env, FWC_QUIET: '1' }, stdio: 'ignore' });
    let peakTree = 0;
    let peakProcess = 0;
    const sampler = setInterval(() => {
      const sizes = treeRssBytes(child.pid!);
      peakTree = Math.max(peakTree, sizes.reduce((sum, n) => sum + n, 0));
      peakProcess = Math.max(peakProcess, ...sizes, 0);
    }, SAMPLE_MS);
    const killer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearInterval(sampler);
      clearTimeout(killer);
      resolve({ exitCode: code, wallMs: Date.now() - started, peakTreeRssMb: Math.round(peakTree / 2 ** 20), peakProcessRssMb: Math.round(peakProcess / 2 ** 20) });
    });
  });
}

/** RSS of a process and all its descendants, from /proc (Linux). */
function treeRssBytes(root: number): number[] {
  const parents = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(name), Number(fields[1]));
      rss.set(Number(name), Number(fields[21]) * 4096);
    } catch {
      // the process ended between the listing and the read
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; p = parents.get(p), hops++) if (p === root) return true;
    return false;
  };
  return [...rss].filter(([pid]) => inTree(pid)).map(([, bytes]) => bytes);
}

function fileSizesKb(reportDir: string): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const name of ['results.json', 'index.html', 'junit.xml', 'testreport.json', 'playwright']) {
    const file = path.join(reportDir, name);
    if (existsSync(file)) sizes[name] = Math.round(sizeOf(file) / 1024);
  }
  return sizes;
}

function sizeOf(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(file).reduce((sum, name) => sum + sizeOf(path.join(file, name)), 0);
}

export function describeFrameFlood(result: FrameFloodResult): string {
  return `${describeRun(result.flood)}\ncontrol, same command without the flood:\n${describeRun(result.control)}`;
}

function describeRun(result: FloodRun): string {
  return [
    `${result.command}`,
    `flood: ${result.framesSent} frames of ${result.frameBytes} bytes (${result.megabytesSent} MB) over ${result.floodMs} ms per bound socket`,
    `peak RSS: ${result.peakTreeRssMb} MB for the whole process tree, ${result.peakProcessRssMb} MB for the largest process (goal ≤ 300 MB)`,
    `exit ${result.exitCode} in ${Math.round(result.wallMs / 1000)} s; verdict ${result.verdict ?? 'none (no results.json)'} over ${result.scenarios ?? 0} scenarios`,
    `report sizes (KB): ${Object.entries(result.reportFileSizesKb).map(([name, kb]) => `${name} ${kb}`).join(', ')}`,
  ].join('\n');
}
