import { test, expect } from '@playwright/test';
import { parseConfigText } from '../../../runner/config/config-file.js';
import { resolveRunConfig } from '../../../runner/cli/resolve-config.js';
import { parseArgs, type RunArgs } from '../../../runner/cli/args.js';
import { HarnessError } from '../../../runner/errors.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

function problem(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parseConfigText(text, 'my.yaml', env);
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('FWC_ERR_CONFIG');
    return (error as HarnessError).message;
  }
  throw new Error('expected an error');
}

test('a full config file', () => {
  const values = parseConfigText(
    [
      'server: https://fhir.example.org/r4',
      'fhirVersion: R4',
      'auth:',
      '  bearerToken: ${env:FHIR_TOKEN}',
      '  headers: { X-Tenant: demo }',
      'subscriptions:',
      '  create: false',
      '  existing: { websocket: [a, b], restHook: c }',
      'topic: http://example.org/topic',
      'bindForm: json',
      'timeouts: { http: 5s, connect: 2s, handshake: 3s, silence: 800ms }',
      'maxWait: 2m',
      'level: should',
    ].join('\n'),
    'my.yaml',
    { FHIR_TOKEN: 'secret-token-value' },
  );
  expect(values).toMatchObject({
    server: 'https://fhir.example.org/r4',
    fhirVersion: 'R4',
    auth: { bearerToken: 'secret-token-value', headers: { 'X-Tenant': 'demo' } },
    subscriptions: { create: false, existing: { websocket: ['a', 'b'], restHook: 'c' } },
    bindForm: 'json',
    timeouts: { httpMs: 5000, connectMs: 2000, handshakeMs: 3000, silenceMs: 800 },
    maxWaitMs: 120_000,
    level: 'should',
  });
});

test('auth.otherIdentity: the second identity, its token from the environment', () => {
  const values = parseConfigText(
    ['auth:', '  bearerToken: ${env:A}', '  otherIdentity:', '    bearerToken: ${env:B}', '    headers: { X-Tenant: other }'].join('\n'),
    'my.yaml',
    { A: 'main-token-value', B: 'other-token-value' },
  );
  expect(values.auth).toMatchObject({ bearerToken: 'main-token-value', otherIdentity: { bearerToken: 'other-token-value', headers: { 'X-Tenant': 'other' } } });
  expect(problem('auth:\n  otherIdentity:\n    token: x')).toMatch(/^my\.yaml:3:5 unknown key "auth\.otherIdentity\.token" \(known: bearerToken, headers\)/);
});

test('errors name file:line:col', () => {
  expect(problem('server: x\ntimeoutz: 3')).toBe('my.yaml:2:1 unknown key "timeoutz" (known: server, fhirVersion, auth, subscriptions, topic, trigger, bindForm, timeouts, maxWait, soak, level)');
  expect(problem('timeouts:\n  http: soon')).toBe('my.yaml:2:9 "timeouts.http" must be a duration with its unit, like "500ms", "10s", "1.5s" or "2m", not "soon"');
  expect(problem('bindForm: xml')).toBe('my.yaml:1:11 "bindForm" must be one of auto, space, colon, json, not "xml"');
  expect(problem('subscriptions:\n  create: maybe')).toBe('my.yaml:2:11 "subscriptions.create" must be true or false');
  expect(problem('auth:\n  bearerToken: ${env:NOPE}')).toContain('environment variable NOPE is not set');
  expect(problem('server: [unclosed')).toMatch(/^my\.yaml:1:\d+ /);
  // the trap the README warns about: an unquoted placeholder inside a flow mapping
  expect(problem('auth:\n  otherIdentity: { bearerToken: ${env:OTHER} }')).toMatch(/^my\.yaml:2:\d+ .*inside \{ \} or \[ \] a \$\{…\} value must be quoted: "\$\{env:NAME\}"/);
  expect(problem('- a list')).toBe('my.yaml:1:1 a config file is a mapping of keys');
});

test('a duration without a unit is refused, naming the place and both readings', () => {
  expect(problem('timeouts: { http: 10 }')).toBe('my.yaml:1:19 "timeouts.http" 10 has no unit: 10s or 10ms? (write the unit: ms, s or m)');
  expect(problem('maxWait: 90')).toBe('my.yaml:1:10 "maxWait" 90 has no unit: 90s or 90ms? (write the unit: ms, s or m)');
  expect(problem('timeouts:\n  silence: -5s')).toMatch(/^my\.yaml:2:12 "timeouts\.silence" must be a duration with its unit/);
});

test('a duration longer than a Node timer can wait is refused at load (it would fire after 1 ms)', () => {
  expect(problem('timeouts:\n  http: 36000m')).toBe(
    'my.yaml:2:9 "timeouts.http" "36000m" is 2160000000 ms, longer than the longest wait this tool can time (2147483647 ms, about 24.8 days)',
  );
  expect(parseConfigText('maxWait: 35791m', 'my.yaml', {}).maxWaitMs).toBe(2_147_460_000); // just under the limit
});

test('flags override the file; embedded-only flags refuse a remote server', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fwc-config-'));
  const file = path.join(dir, 'c.yaml');
  writeFileSync(file, 'server: http://127.0.0.1:1/fhir\nlevel: should\ntimeouts: { http: 2s }\n');
  const config = resolveRunConfig(parseArgs(['--config', file, '--level', 'shall']) as RunArgs, {});
  expect(config).toMatchObject({ server: 'http://127.0.0.1:1/fhir', level: 'shall', timeouts: { httpMs: 2000, connectMs: 5000 } });
  expect(() => resolveRunConfig(parseArgs(['--config', file, '--fault', 'no-handshake']) as RunArgs, {})).toThrow('--fault: only for the bundled reference server');
  expect(resolveRunConfig(parseArgs([]) as RunArgs, { FHIR_SERVER: 'http://h/fhir/' }).server).toBe('http://h/fhir');
});
