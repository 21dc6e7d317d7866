/**
 * Command-line parsing. A bad flag says which and why (HarnessError FWC_ERR_CONFIG → exit 2).
 * Everything after `--` is handed to Playwright untouched (e.g. --shard=1/3).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { withoutPassword } from '../config/check-credentials.js';
import { harnessError } from '../errors.js';
import { describeTooLong, MAX_DURATION_MS } from '../scenario/duration.js';
import { checkFaultName } from './faults.js';

export interface RunArgs {
  command: 'run';
  server?: string;
  config?: string;
  suite?: string;
  grep?: string;
  list: boolean;
  level?: 'shall' | 'should';
  reportDir: string;
  workers?: number;
  maxWaitMs?: number;
  soakMs?: number;
  fhirVersion?: 'R4' | 'R4B' | 'R5';
  faults: string[];
  tokenTtlSeconds?: number;
  tokenFormat?: 'opaque' | 'jwt';
  baseline?: string;
  redact: boolean;
  load?: number;
  retries?: number;
  tls?: boolean;
  caFile?: string;
  /** Names the run in results.json, compare and matrix (e.g. "release 2.3, staging"). */
  label?: string;
  playwrightArgs: string[];
}

export interface CompareArgs { command: 'compare'; oldFile: string; newFile: string; out?: string }
export interface MatrixArgs { command: 'matrix'; files: string[]; out: string }
export interface MergeArgs { command: 'merge'; files: string[]; reportDir: string; label?: string }
export type CliArgs = RunArgs | CompareArgs | MatrixArgs | MergeArgs | { command: 'help' } | { command: 'version' } | { command: 'list-faults' };

/** Runs side by side: bounded so the page stays readable (and the tool's memory bounded). */
export const MAX_MATRIX_RUNS = 20;
/** Shards merged into one run: as many as Playwright would reasonably split a 52-scenario suite into. */
export const MAX_MERGE_SHARDS = 64;
/** A label is a short name shown in a table cell, not a description. */
export const MAX_LABEL_LENGTH = 80;

interface FlagSpec { name: string; value?: string; help: string }

export const FLAGS: FlagSpec[] = [
  { name: '--server', value: '<base-url>', help: 'FHIR base URL to test (env FHIR_SERVER). Default: start the bundled reference server.' },
  { name: '--config', value: '<file.yaml>', help: 'auth, FHIR version, Subscription template or ids, topic, timeouts (see README).' },
  { name: '--suite', value: '<dir>', help: 'scenario folder to run instead of the bundled suites/ (its requirements.csv, else the bundled one).' },
  { name: '--grep', value: '<regex>', help: 'run only scenarios whose id or title matches.' },
  { name: '--list', help: 'print the scenarios (id, level, requirements, title) and exit; no server needed.' },
  { name: '--level', value: 'shall|should', help: 'conformance level that decides the exit code (default shall).' },
  { name: '--report-dir', value: '<dir>', help: 'where reports are written (default reports/).' },
  { name: '--workers', value: '<n>', help: 'scenarios run in parallel (default 4).' },
  { name: '--max-wait', value: '<seconds>', help: 'longest wait for a token to expire (default 90); longer lifetimes skip expiry checks.' },
  { name: '--soak', value: '<duration>', help: 'run connections.idle.survives: leave a bound socket idle this long (60s to 60m, e.g. 90s); off by default.' },
  { name: '--fhir-version', value: 'R4|R4B|R5', help: 'override the detected FHIR version (and the embedded server version).' },
  { name: '--fault', value: '<name>', help: 'embedded reference server only: inject a fault or variant (repeatable; --list-faults prints them).' },
  { name: '--list-faults', help: 'print the reference server\'s faults and variants (name, kind, what it does, scenarios that catch it) and exit.' },
  { name: '--token-ttl', value: '<seconds>', help: 'embedded reference server only: token lifetime (default 4).' },
  { name: '--token-format', value: 'opaque|jwt', help: 'embedded reference server only: token kind (default opaque).' },
  { name: '--tls', help: 'embedded reference server only: serve https:// and wss:// with the bundled test certificate (trusted for this run).' },
  { name: '--ca-file', value: '<file.pem>', help: 'also trust this CA for the target (a private or self-signed certificate).' },
  { name: '--baseline', value: '<file.yaml>', help: 'accepted deviations (scenario id, reason, optional expiry date).' },
  { name: '--label', value: '<text>', help: 'name this run in results.json, compare and matrix (e.g. "staging, release 2.3").' },
  { name: '--no-redact', help: 'show secrets in evidence (local debugging only; never in CI).' },
  { name: '--load', value: '<n>', help: 'also open n concurrent clients that each get a token and bind (1..5000).' },
  { name: '--retries', value: '<n>', help: 'run a failed scenario up to n more times (0..3, default 0); one that passes later is reported as flaky.' },
  { name: '--help', help: 'this help.' },
  { name: '--version', help: 'the tool version.' },
];

export function parseArgs(argv: string[]): CliArgs {
  const dashDash = argv.indexOf('--');
  const own = dashDash >= 0 ? argv.slice(0, dashDash) : argv;
  const passthrough = dashDash >= 0 ? argv.slice(dashDash + 1) : [];
  if (own[0] === 'compare') return parseCompare(own.slice(1));
  if (own[0] === 'matrix') return parseMatrix(own.slice(1));
  if (own[0] === 'merge') return parseMerge(own.slice(1));
  const args: RunArgs = { command: 'run', list: false, reportDir: 'reports', faults: [], redact: true, playwrightArgs: passthrough };
  for (let i = 0; i < own.length; i++) {
    const [flag, inlineValue] = splitFlag(own[i]!);
    const spec = FLAGS.find((f) => f.name === flag);
    if (!spec) throw badFlag(flag, flag.startsWith('-') ? `unknown flag (try --help)` : `unexpected argument (flags start with --)`);
    let value: string | undefined;
    if (spec.value) {
      value = inlineValue ?? own[++i];
      if (value === undefined || (inlineValue === undefined && value.startsWith('--'))) throw badFlag(flag, `needs a value ${spec.value}`);
    } else if (inlineValue !== undefined) {
      throw badFlag(flag, 'takes no value');
    }
    const early = applyFlag(args, flag, value);
    if (early) return early;
  }
  return args;
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function applyFlag(args: RunArgs, flag: string, value: string | undefined): CliArgs | undefined {
  const v = value as string;
  switch (flag) {
    case '--help': return { command: 'help' };
    case '--version': return { command: 'version' };
    case '--list-faults': return { command: 'list-faults' };
    case '--server': args.server = checkUrl(flag, v); break;
    case '--config': args.config = v; break;
    case '--suite': args.suite = v; break;
    case '--grep': args.grep = checkRegex(flag, v); break;
    case '--list': args.list = true; break;
    case '--level': args.level = oneOf(flag, v, ['shall', 'should'] as const); break;
    case '--report-dir': args.reportDir = v; break;
    case '--workers': args.workers = integer(flag, v, 1, 64); break;
    case '--max-wait': args.maxWaitMs = seconds(flag, v); break;
    case '--soak': args.soakMs = soakDuration(flag, v); break;
    case '--fhir-version': args.fhirVersion = oneOf(flag, v, ['R4', 'R4B', 'R5'] as const); break;
    case '--fault': args.faults.push(checkFaultName(flag, v)); break;
    case '--token-ttl': args.tokenTtlSeconds = integer(flag, v, 1, 86_400); break;
    case '--token-format': args.tokenFormat = oneOf(flag, v, ['opaque', 'jwt'] as const); break;
    case '--baseline': args.baseline = v; break;
    case '--no-redact': args.redact = false; break;
    case '--load': args.load = integer(flag, v, 1, 5000); break;
    case '--retries': args.retries = integer(flag, v, 0, 3); break;
    case '--tls': args.tls = true; break;
    case '--ca-file': args.caFile = pemFile(flag, v); break;
    case '--label': args.label = checkLabel(flag, v); break;
  }
  return undefined;
}

function parseCompare(rest: string[]): CompareArgs {
  const files = rest.filter((a) => !a.startsWith('--'));
  const outFlag = rest.find((a) => a.startsWith('--out='));
  if (files.length !== 2) throw badFlag('compare', 'needs two files: compare <old results.json> <new results.json> [--out=<file.md>]');
  const unknown = rest.find((a) => a.startsWith('--') && !a.startsWith('--out='));
  if (unknown) throw badFlag(unknown, 'unknown flag for compare (only --out=<file>)');
  return { command: 'compare', oldFile: files[0]!, newFile: files[1]!, out: outFlag?.slice('--out='.length) };
}

function parseMatrix(rest: string[]): MatrixArgs {
  const usage = `matrix <results.json> <results.json>… [--out=<file.html>] (2 to ${MAX_MATRIX_RUNS} files)`;
  const unknown = rest.find((a) => a.startsWith('--') && !a.startsWith('--out='));
  if (unknown) throw badFlag(unknown, `unknown flag for matrix (only --out=<file.html>); usage: ${usage}`);
  const files = rest.filter((a) => !a.startsWith('--'));
  if (files.length < 2 || files.length > MAX_MATRIX_RUNS) throw badFlag('matrix', `needs 2 to ${MAX_MATRIX_RUNS} results files, got ${files.length}; usage: ${usage}`);
  const out = rest.find((a) => a.startsWith('--out='))?.slice('--out='.length);
  if (out === '') throw badFlag('--out', 'needs a file name: --out=<file.html>');
  return { command: 'matrix', files, out: out ?? 'reports/matrix.html' };
}

/** merge <shard results.json>… [--report-dir <dir>] [--label <text>]: flags as in a run, with or without "=". */
function parseMerge(rest: string[]): MergeArgs {
  const usage = `merge <shard results.json>… [--report-dir <dir>] [--label <text>] (1 to ${MAX_MERGE_SHARDS} files)`;
  const args: MergeArgs = { command: 'merge', files: [], reportDir: 'reports' };
  for (let i = 0; i < rest.length; i++) {
    const [flag, inlineValue] = splitFlag(rest[i]!);
    if (!flag.startsWith('--')) {
      args.files.push(flag);
      continue;
    }
    if (flag !== '--report-dir' && flag !== '--label') throw badFlag(flag, `unknown flag for merge (only --report-dir, --label); usage: ${usage}`);
    const value = inlineValue ?? rest[++i];
    if (value === undefined || value === '' || (inlineValue === undefined && value.startsWith('--'))) throw badFlag(flag, `needs a value; usage: ${usage}`);
    if (flag === '--report-dir') args.reportDir = value;
    else args.label = checkLabel(flag, value);
  }
  if (args.files.length < 1 || args.files.length > MAX_MERGE_SHARDS) throw badFlag('merge', `needs 1 to ${MAX_MERGE_SHARDS} results files, got ${args.files.length}; usage: ${usage}`);
  return args;
}

/** One printable line: a label ends up in table cells, terminal lines and file names' neighbours. */
function checkLabel(flag: string, value: string): string {
  const label = value.trim();
  if (label === '') throw badFlag(flag, 'must not be empty');
  if (label.length > MAX_LABEL_LENGTH) throw badFlag(flag, `must be at most ${MAX_LABEL_LENGTH} characters, got ${label.length}`);
  if (/[\u0000-\u001f\u007f-\u009f]/.test(label)) throw badFlag(flag, 'must be one line of printable characters (no control characters)');
  return label;
}

/** A readable file holding at least one PEM certificate: Node would otherwise only warn and go on. */
function pemFile(flag: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw badFlag(flag, `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw badFlag(flag, `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return path.resolve(file);
}

function badFlag(flag: string, why: string) {
  return harnessError('FWC_ERR_CONFIG', `${flag}: ${why}`);
}

function checkUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badFlag(flag, `"${withoutPassword(value)}" is not an absolute URL (e.g. http://localhost:8080/fhir)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badFlag(flag, `must be http:// or https://, not ${url.protocol}`);
  return value.replace(/\/+$/, '');
}

function checkRegex(flag: string, value: string): string {
  try {
    new RegExp(value);
  } catch (error) {
    throw badFlag(flag, `"${value}" is not a valid regular expression: ${(error as Error).message}`);
  }
  return value;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!found) throw badFlag(flag, `must be one of ${allowed.join(', ')}, not "${value}"`);
  return found;
}

function integer(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw badFlag(flag, `must be a whole number, not "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw badFlag(flag, `must be between ${min} and ${max}, not ${n}`);
  return n;
}

/** "90s", "2m", "90" (seconds): at least 60 s (the point is to outlast a 60 s idle timeout), at most 1 h. */
function soakDuration(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(value);
  if (!match) throw badFlag(flag, `must be a duration like 90s or 2m, not "${value}"`);
  const ms = Math.round(Number(match[1]) * (match[2] === 'm' ? 60_000 : 1000));
  if (ms < 60_000 || ms > 3_600_000) throw badFlag(flag, `must be from 60s to 60m (idle survival is about outlasting a 60 s idle timeout), not "${value}"`);
  return ms;
}

function seconds(flag: string, value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw badFlag(flag, `must be a number of seconds, not "${value}"`);
  const millis = Math.round(Number(value) * 1000);
  if (millis > MAX_DURATION_MS) throw badFlag(flag, `${value} seconds ${describeTooLong(millis)}`);
  return millis;
}

export function renderHelp(version: string): string {
  const lines = FLAGS.map((f) => `  ${`${f.name}${f.value ? ` ${f.value}` : ''}`.padEnd(30)} ${f.help}`);
  return [
    `fhir-ws-conformance ${version}`,
    'Conformance suite for FHIR Subscription/$get-ws-binding-token and the websocket channel.',
    '',
    'Usage:',
    '  fhir-ws-conformance [options] [-- <playwright options>]',
    '  fhir-ws-conformance compare <old results.json> <new results.json> [--out=<file.md>]',
    '  fhir-ws-conformance matrix <results.json> <results.json>… [--out=<file.html>]   (default reports/matrix.html)',
    '  fhir-ws-conformance merge <shard results.json>… [--report-dir <dir>] [--label <text>]   (one report from a --shard run)',
    '  fhir-ws-conformance --list-faults',
    '',
    'Options:',
    ...lines,
    '',
    'Exit codes: 0 conformant at the chosen level; 1 non-conformant (or compare: regressions);',
    '            2 could not run (bad flag or config, invalid scenario file, server unreachable).',
  ].join('\n');
}
