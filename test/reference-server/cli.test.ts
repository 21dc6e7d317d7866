import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

const BIN = fileURLToPath(new URL('../../bin/fhir-ws-reference-server.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command; `untilLine` keeps it running until a matching stdout line, then SIGTERM. */
const README = new URL('../../README.md', import.meta.url).pathname;

function run(args: string[], onStdout?: (stdout: string) => Promise<void> | undefined): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let handled = false;
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`no exit within 15 s: ${stdout} ${stderr}`))), 15_000);
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
      const work = handled ? undefined : onStdout?.(stdout);
      if (work) {
        handled = true;
        work.then(() => child.kill('SIGTERM'), (error: unknown) => (child.kill('SIGKILL'), reject(error)));
      }
    });
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('exit', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })));
  });
}

test('--help prints usage and exits 0', async () => {
  const result = await run(['--help']);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('Usage: fhir-ws-reference-server');
  expect(result.stdout).toContain('--fault <name>');
  expect(result.stdout).toMatch(/--bearer-token <t>[\s\S]*repeatable, up to 8: each token is one identity/);
});

test('--list-faults prints every fault and variant', async () => {
  const result = await run(['--list-faults']);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^no-handshake\s+fault\s+/m);
  expect(result.stdout).toMatch(/^bind-json-only\s+variant\s+/m);
});

const BAD_FLAGS: Array<[string[], RegExp]> = [
  [['--bogus'], /--bogus/],
  [['--port', 'abc'], /--port must be a whole number/],
  [['--max-subscriptions', '0'], /maxSubscriptions must be a whole number from 1 to 1000000, got 0/],
  [['--max-subscriptions', 'many'], /--max-subscriptions must be a whole number/],
  [['--fhir-version', 'R6'], /fhirVersion must be one of R4, R4B, R5/],
  [['--fault', 'nope'], /unknown fault "nope".*no-handshake/],
  [['--fault', 'bad-token-silent', '--fault', 'bad-token-close'], /contradict/],
  [['--token-format', 'opaque', '--fault', 'jwt-exp-ignored'], /needs tokenFormat jwt/],
  [['stray'], /positional|Unexpected argument/i],
  [['--preset', 'nope'], /preset must be one of medplum-like/],
  [['--preset', 'medplum-like', '--fhir-version', 'R5'], /contradicts it/],
  [['--bearer-token', ''], /bearerToken must be 1 to 4096/],
  [['--bearer-token', 'same-secret-1', '--bearer-token', 'same-secret-1'], /bearerToken\[1\] repeats bearerToken\[0\]/],
  [['--tls-cert', 'reference-server/tls/server-cert.pem'], /--tls-cert and --tls-key go together/],
  [['--tls', '--tls-key', 'k.pem'], /--tls uses the bundled certificate/],
  [['--tls-cert', '/nonexistent/c.pem', '--tls-key', '/nonexistent/k.pem'], /--tls-cert: cannot read \/nonexistent\/c\.pem \(ENOENT\)/],
  [['--tls-cert', README, '--tls-key', README], /tls: the certificate and key cannot be used/],
];

test('bad flags → one line naming the problem, exit 2', async () => {
  const results = await Promise.all(BAD_FLAGS.map(([args]) => run(args)));
  results.forEach((result, index) => {
    const [args, message] = BAD_FLAGS[index]!;
    expect(result.code, args.join(' ')).toBe(2);
    expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    expect(result.stderr, args.join(' ')).toMatch(message);
  });
});

test('runs: prints the base, serves metadata, stops cleanly on SIGTERM', async () => {
  let metadata: unknown;
  const result = await run(['--port', '0', '--fhir-version', 'R4B', '--base-path', '/r4b', '--fault', 'no-heartbeat'], (stdout) => {
    const base = /FHIR base:\s+(\S+)/.exec(stdout)?.[1];
    if (!base) return undefined;
    return fetch(`${base}/metadata`).then(async (response) => {
      metadata = await response.json();
    });
  });
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/FHIR base:\s+http:\/\/127\.0\.0\.1:\d+\/r4b/);
  expect(result.stdout).toContain('faults:        no-heartbeat');
  expect(metadata).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.3.0' });
});

test('--tls: the banner shows https and wss, says TLS is on, and metadata answers over https', async () => {
  let status = 0;
  const result = await run(['--port', '0', '--tls'], (stdout) => {
    const base = /FHIR base:\s+(\S+)/.exec(stdout)?.[1];
    if (!base || !stdout.includes('TLS:')) return undefined;
    return new Promise<void>((resolve, reject) => {
      https.get(`${base}/metadata`, { ca: readFileSync(new URL('../../reference-server/tls/test-ca.pem', import.meta.url)), timeout: 5_000 }, (res) => {
        status = res.statusCode ?? 0;
        res.resume().on('end', resolve);
      }).on('error', reject);
    });
  });
  expect(result.code).toBe(0);
  expect(status).toBe(200);
  expect(result.stdout).toMatch(/FHIR base:\s+https:\/\/127\.0\.0\.1:\d+\/fhir/);
  expect(result.stdout).toMatch(/websocket:\s+wss:\/\//);
  expect(result.stdout).toContain('TLS:           on');
});

test('--preset medplum-like --bearer-token: the banner names the preset but never the token; REST needs it', async () => {
  const token = 'cli-test-secret-3f9a';
  const statuses: number[] = [];
  const result = await run(['--port', '0', '--preset', 'medplum-like', '--bearer-token', token], (stdout) => {
    const base = /FHIR base:\s+(\S+)/.exec(stdout)?.[1];
    if (!base) return undefined;
    return (async () => {
      statuses.push((await fetch(`${base}/metadata`)).status);
      statuses.push((await fetch(`${base}/metadata`, { headers: { authorization: `Bearer ${token}` } })).status);
    })();
  });
  expect(result.code).toBe(0);
  expect(statuses).toEqual([401, 200]);
  expect(result.stdout).toMatch(/FHIR base:\s+http:\/\/127\.0\.0\.1:\d+\/fhir\/R4/);
  expect(result.stdout).toContain('preset:        medplum-like');
  expect(result.stdout).toContain('tokens:        jwt, 3600 s');
  expect(result.stdout + result.stderr).not.toContain(token);
});

test('--bearer-token twice: two identities, either token opens REST, the banner counts them and prints neither', async () => {
  const tokens = ['cli-identity-one-5d2c', 'cli-identity-two-8a41'];
  const statuses: number[] = [];
  const result = await run(['--port', '0', '--bearer-token', tokens[0]!, '--bearer-token', tokens[1]!], (stdout) => {
    const base = /FHIR base:\s+(\S+)/.exec(stdout)?.[1];
    if (!base) return undefined;
    return (async () => {
      for (const authorization of [undefined, ...tokens.map((token) => `Bearer ${token}`), 'Bearer cli-identity-three']) {
        const response = await fetch(`${base}/metadata`, { headers: authorization ? { authorization } : {}, signal: AbortSignal.timeout(5_000) });
        statuses.push(response.status);
      }
    })();
  });
  expect(result.code).toBe(0);
  expect(statuses).toEqual([401, 200, 200, 401]);
  expect(result.stdout).toMatch(/REST auth:.*\(2 identities, each seeing only the Subscriptions it created\)/);
  for (const token of tokens) expect(result.stdout + result.stderr).not.toContain(token);
});
