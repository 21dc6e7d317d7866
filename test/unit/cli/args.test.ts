import { test, expect } from '@playwright/test';
import { parseArgs } from '../../../runner/cli/args.js';
import { HarnessError } from '../../../runner/errors.js';

function errorOf(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    return (error as HarnessError).message;
  }
  throw new Error('expected an error');
}

test('defaults', () => {
  const args = parseArgs([]);
  expect(args).toMatchObject({ command: 'run', list: false, reportDir: 'reports', faults: [], redact: true, playwrightArgs: [] });
});

test('every value flag, in both --flag value and --flag=value forms', () => {
  const args = parseArgs([
    '--server', 'http://127.0.0.1:8080/fhir/', '--config=c.yaml', '--grep', 'binding', '--level', 'SHOULD',
    '--report-dir', 'out', '--workers=3', '--max-wait', '12', '--fhir-version', 'r4b', '--fault', 'no-handshake',
    '--fault=missing-token', '--token-ttl', '5', '--token-format', 'jwt', '--baseline', 'b.yaml', '--no-redact', '--load', '10', '--suite', 'x',
  ]);
  expect(args).toMatchObject({
    server: 'http://127.0.0.1:8080/fhir', config: 'c.yaml', grep: 'binding', level: 'should', reportDir: 'out', workers: 3,
    maxWaitMs: 12_000, fhirVersion: 'R4B', faults: ['no-handshake', 'missing-token'], tokenTtlSeconds: 5, tokenFormat: 'jwt',
    baseline: 'b.yaml', redact: false, load: 10, suite: 'x',
  });
});

test('arguments after -- go to Playwright', () => {
  expect(parseArgs(['--list', '--', '--shard=1/3', '--reporter=dot'])).toMatchObject({ list: true, playwrightArgs: ['--shard=1/3', '--reporter=dot'] });
});

test('bad flags say which and why', () => {
  expect(errorOf(['--serve', 'x'])).toBe('--serve: unknown flag (try --help)');
  expect(errorOf(['oops'])).toBe('oops: unexpected argument (flags start with --)');
  expect(errorOf(['--server'])).toBe('--server: needs a value <base-url>');
  expect(errorOf(['--server', '--list'])).toBe('--server: needs a value <base-url>');
  expect(errorOf(['--server', 'localhost:8080'])).toContain('must be http:// or https://');
  expect(errorOf(['--server', 'not a url'])).toContain('is not an absolute URL');
  expect(errorOf(['--level', 'may'])).toBe('--level: must be one of shall, should, not "may"');
  expect(errorOf(['--workers', '0'])).toBe('--workers: must be between 1 and 64, not 0');
  expect(errorOf(['--workers', 'two'])).toBe('--workers: must be a whole number, not "two"');
  expect(errorOf(['--max-wait', '5m'])).toBe('--max-wait: must be a number of seconds, not "5m"');
  // a Node timer fires a longer delay after 1 ms: refused, not silently "timed out at once"
  expect(errorOf(['--max-wait', '2147484'])).toBe(
    '--max-wait: 2147484 seconds is 2147484000 ms, longer than the longest wait this tool can time (2147483647 ms, about 24.8 days)',
  );
  expect(parseArgs(['--max-wait', '2147483'])).toMatchObject({ maxWaitMs: 2_147_483_000 });
  expect(errorOf(['--grep', '('])).toContain('is not a valid regular expression');
  expect(errorOf(['--list=yes'])).toBe('--list: takes no value');
  expect(errorOf(['--load', '100000'])).toBe('--load: must be between 1 and 5000, not 100000');
});

test('help, version and compare', () => {
  expect(parseArgs(['--server', 'http://x', '--help'])).toEqual({ command: 'help' });
  expect(parseArgs(['--version'])).toEqual({ command: 'version' });
  expect(parseArgs(['compare', 'a.json', 'b.json', '--out=d.md'])).toEqual({ command: 'compare', oldFile: 'a.json', newFile: 'b.json', out: 'd.md' });
  expect(errorOf(['compare', 'a.json'])).toContain('needs two files');
  expect(errorOf(['compare', 'a.json', 'b.json', '--nope'])).toContain('--nope: unknown flag for compare');
  expect(parseArgs(['--retries', '2'])).toMatchObject({ command: 'run', retries: 2 });
  expect(errorOf(['--retries', '4'])).toContain('--retries');
  expect(parseArgs(['matrix', 'a.json', 'b.json', 'c.json'])).toEqual({ command: 'matrix', files: ['a.json', 'b.json', 'c.json'], out: 'reports/matrix.html' });
  expect(parseArgs(['matrix', 'a.json', 'b.json', '--out=m.html'])).toEqual({ command: 'matrix', files: ['a.json', 'b.json'], out: 'm.html' });
  expect(errorOf(['matrix', 'a.json'])).toContain('matrix: needs 2 to 20 results files, got 1');
  expect(errorOf(['matrix', ...Array.from({ length: 21 }, (_, i) => `${i}.json`)])).toContain('got 21');
  expect(errorOf(['matrix', 'a.json', 'b.json', '--out='])).toContain('--out: needs a file name');
  expect(errorOf(['matrix', 'a.json', 'b.json', '--open'])).toContain('--open: unknown flag for matrix');
});

test('README documents every flag the CLI accepts', async () => {
  const { readFileSync } = await import('node:fs');
  const { FLAGS } = await import('../../../runner/cli/args.js');
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  for (const flag of FLAGS) expect(readme, `README.md mentions ${flag.name}`).toContain(`\`${flag.name}`);
});
