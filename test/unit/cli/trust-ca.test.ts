/** Which command lines restart the CLI to trust a CA (runner/cli/trust-ca.ts), and which do not. */
import { test, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { BUNDLED_TEST_CA_FILE } from '../../../reference-server/src/tls.js';
import { CA_APPLIED_ENV, caFilesFor, relaunchTrusting } from '../../../runner/cli/trust-ca.js';

const CA = fileURLToPath(BUNDLED_TEST_CA_FILE);

test('--tls trusts the bundled test CA; --ca-file its file; both together both', () => {
  expect(caFilesFor(['--tls'])).toEqual([CA]);
  expect(caFilesFor(['--ca-file', CA])).toEqual([CA]);
  expect(caFilesFor(['--tls', '--ca-file', CA])).toEqual([CA, CA]);
});

test('nothing to trust: a plain run, --list, help, compare, matrix, a bad flag', () => {
  for (const argv of [[], ['--list', '--tls'], ['--help'], ['compare', 'a.json', 'b.json'], ['matrix', 'a.json', 'b.json'], ['--levle', 'x']]) {
    expect(caFilesFor(argv), argv.join(' ')).toEqual([]);
  }
});

test('an already relaunched process never relaunches again', () => {
  expect(relaunchTrusting(['--tls'], { [CA_APPLIED_ENV]: '1' })).toBeUndefined();
});
