/**
 * Preflight diagnosis: setup mistakes (credentials, base URL, FHIR version, scheme) are told apart
 * from non-conformance before any scenario runs — exit 2, FWC_ERR_TARGET, one line with a hint —
 * while a server that is merely wrong is left for the scenarios to judge. Small real servers on
 * 127.0.0.1, port 0.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { checkReachable } from '../../runner/cli/preflight.js';
import { candidateBases } from '../../runner/cli/diagnose-target.js';
import type { RunConfig } from '../../runner/config/run-config.js';
import { HarnessError } from '../../runner/errors.js';
import { bundledTls } from '../../reference-server/src/tls.js';
import { runCli } from '../support/run-cli.js';

type Handler = (path: string, request: http.IncomingMessage) => { status: number; type?: string; body?: string; headers?: Record<string, string> };

const FHIR_JSON = 'application/fhir+json';
const capability = (fhirVersion = '4.0.1') => JSON.stringify({ resourceType: 'CapabilityStatement', status: 'active', fhirVersion, kind: 'instance', format: ['json'] });
const html = (text: string) => ({ status: 200, type: 'text/html', body: `<!DOCTYPE html><html><body>${text}</body></html>` });

interface Served { url: string; requests: string[]; close(): Promise<void> }

async function serve(handler: Handler, options: { tls?: boolean } = {}): Promise<Served> {
  const requests: string[] = [];
  const listener = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    requests.push(`${request.method} ${path} auth=${request.headers.authorization ?? '-'}`);
    const answer = handler(path, request);
    response.writeHead(answer.status, { ...(answer.type ? { 'content-type': answer.type } : {}), ...answer.headers });
    response.end(answer.body ?? '');
  };
  const server = options.tls ? https.createServer(bundledTls(), listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

type Config = Pick<RunConfig, 'fhirVersion' | 'auth'>;
const NO_AUTH: Config = { fhirVersion: 'auto', auth: { headers: {} } };

/** The HarnessError preflight throws (its code and one-line message), or undefined when it lets the run go on. */
async function diagnosis(server: string, config: Config = NO_AUTH, headers: Record<string, string> = {}): Promise<{ code: string; message: string } | undefined> {
  try {
    await checkReachable(server, headers, config);
    return undefined;
  } catch (error) {
    if (!(error instanceof HarnessError)) throw error;
    expect(error.message).not.toContain('\n');
    return { code: error.code, message: error.message };
  }
}

test('401 or 403 at metadata: authentication missing or refused, naming the kind of auth and never its value', async () => {
  const secret = 'preflight-secret-bearer-value';
  const server = await serve((_, request) => (request.headers.authorization ? { status: 403 } : { status: 401, type: FHIR_JSON, body: '{}' }));
  try {
    expect(await diagnosis(server.url)).toEqual({
      code: 'FWC_ERR_TARGET',
      message: expect.stringMatching(/^GET http:\/\/127\.0\.0\.1:\d+\/metadata answered 401: authentication missing or refused \(configured: no authentication\) — hint: set auth\.bearerToken/),
    });
    const refused = await diagnosis(server.url, { fhirVersion: 'auto', auth: { headers: { 'X-Api-Key': 'k' }, bearerToken: secret } }, { authorization: `Bearer ${secret}` });
    expect(refused?.message).toContain('answered 403: authentication missing or refused (configured: a bearer token and header X-Api-Key)');
    expect(refused?.message).not.toContain(secret);
  } finally {
    await server.close();
  }
});

test('not the FHIR base (404 at the root): the hint names the base that answers a CapabilityStatement', async () => {
  const server = await serve((path) =>
    path === '/fhir/metadata' ? { status: 200, type: FHIR_JSON, body: capability() } : { status: 404, type: 'text/html', body: '<html>Not Found</html>' });
  try {
    const found = await diagnosis(server.url);
    expect(found?.code).toBe('FWC_ERR_TARGET');
    expect(found?.message).toBe(
      `GET ${server.url}/metadata answered 404 an HTML page ("text/html"), not a CapabilityStatement: is --server the FHIR base? — hint: ${server.url}/fhir answers a CapabilityStatement: use --server ${server.url}/fhir`,
    );
  } finally {
    await server.close();
  }
});

test('an HTML page or another JSON resource at metadata, and no candidate answers: the generic hint', async () => {
  const page = await serve(() => html('Welcome to the portal'));
  const outcome = await serve(() => ({ status: 404, type: FHIR_JSON, body: JSON.stringify({ resourceType: 'OperationOutcome', issue: [] }) }));
  try {
    expect((await diagnosis(page.url))?.message).toBe(
      `GET ${page.url}/metadata answered 200 an HTML page ("text/html"), not a CapabilityStatement: is --server the FHIR base? — hint: give the FHIR base, e.g. ${page.url}/fhir`,
    );
    expect((await diagnosis(outcome.url))?.message).toContain('answered 404 a "OperationOutcome" resource, not a CapabilityStatement: is --server the FHIR base?');
    // the candidates were probed, and only a few of them
    expect(page.requests.filter((r) => r.startsWith('GET /fhir')).length).toBeGreaterThan(0);
    expect(page.requests.length).toBeLessThanOrEqual(1 + candidateBases(page.url).length);
    // already at …/fhir: the hint does not suggest …/fhir/fhir
    expect((await diagnosis(`${page.url}/fhir`))?.message).toMatch(/— hint: give the FHIR base: the URL whose \/metadata answers a CapabilityStatement$/);
  } finally {
    await Promise.all([page.close(), outcome.close()]);
  }
});

test('the configured FHIR version must match the CapabilityStatement: both are named', async () => {
  const server = await serve(() => ({ status: 200, type: FHIR_JSON, body: capability('4.0.1') }));
  try {
    expect(await diagnosis(server.url, { fhirVersion: 'R5', auth: { headers: {} } })).toEqual({
      code: 'FWC_ERR_TARGET',
      message: `the configured FHIR version is R5, but GET ${server.url}/metadata says fhirVersion "4.0.1" (R4) — hint: use --fhir-version R4, or leave it out to use the server's`,
    });
    expect(await diagnosis(server.url, { fhirVersion: 'R4', auth: { headers: {} } })).toBeUndefined();
    expect(await diagnosis(server.url)).toBeUndefined();
  } finally {
    await server.close();
  }
});

test("what is the server's to get wrong is left to the scenarios: 5xx, unparseable FHIR JSON, a wrong content type", async () => {
  const answers: Record<string, ReturnType<Handler>> = {
    '/a/metadata': { status: 500, type: FHIR_JSON, body: '{"resourceType":"OperationOutcome"}' },
    '/b/metadata': { status: 200, type: FHIR_JSON, body: '<<garbage>>' },
    '/c/metadata': { status: 200, type: 'text/plain', body: capability('5.0.0') },
  };
  const server = await serve((path) => answers[path] ?? { status: 404 });
  try {
    for (const base of ['a', 'b', 'c']) expect(await diagnosis(`${server.url}/${base}`), base).toBeUndefined();
  } finally {
    await server.close();
  }
});

test('a redirect to another origin is not followed and stops the run naming both (credentials stay with the configured origin)', async () => {
  const elsewhere = await serve(() => ({ status: 200, type: FHIR_JSON, body: capability() }));
  const server = await serve(() => ({ status: 302, headers: { location: `${elsewhere.url}/metadata` } }));
  try {
    const found = await diagnosis(server.url, NO_AUTH, { authorization: 'Bearer never-forwarded' });
    expect(found?.code).toBe('FWC_ERR_CONFIG');
    expect(found?.message).toContain(`answered 302, redirecting to another origin (${new URL(elsewhere.url).origin}): not followed`);
    expect(elsewhere.requests).toEqual([]);
  } finally {
    await Promise.all([server.close(), elsewhere.close()]);
  }
});

test('the wrong scheme: https:// to a plain-HTTP server, http:// to a TLS one', async () => {
  const plain = await serve(() => ({ status: 200, type: FHIR_JSON, body: capability() }));
  const tls = await serve(() => ({ status: 200, type: FHIR_JSON, body: capability() }), { tls: true });
  try {
    const asHttps = plain.url.replace('http://', 'https://');
    expect(await diagnosis(asHttps)).toEqual({
      code: 'FWC_ERR_TARGET',
      message: expect.stringMatching(new RegExp(`^${asHttps.replace(/[.]/g, '\\.')} speaks plain HTTP, not TLS \\(.+\\) — hint: use --server ${plain.url.replace(/[.]/g, '\\.')}$`)),
    });
    const asHttp = tls.url.replace('https://', 'http://');
    expect((await diagnosis(asHttp))?.message).toMatch(/speaks TLS \(https\), not plain HTTP .*— hint: use --server https:\/\//);
  } finally {
    await Promise.all([plain.close(), tls.close()]);
  }
});

test('the CLI: a setup mistake is exit 2 with one FWC_ERR_TARGET line, and no scenario runs', async () => {
  const server = await serve((path) =>
    path === '/fhir/metadata' ? { status: 200, type: FHIR_JSON, body: capability() } : { status: 404, type: 'text/html', body: '<html>Not Found</html>' });
  try {
    const run = await runCli(['--server', server.url, '--report-dir', test.info().outputPath('report')]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^fhir-ws-conformance: FWC_ERR_TARGET: GET .*\/metadata answered 404 .* use --server http:\/\/127\.0\.0\.1:\d+\/fhir$/);
    expect(server.requests.every((r) => / \/(fhir\/|fhir\/R[45]\/)?metadata /.test(r))).toBe(true);
  } finally {
    await server.close();
  }
});

test('candidate bases: a few, bounded', () => {
  expect(candidateBases('http://h:1')).toEqual(['http://h:1/fhir', 'http://h:1/fhir/R4', 'http://h:1/fhir/R5', 'https://h:1']);
  expect(candidateBases('https://h/fhir/metadata')).toEqual(['https://h/fhir']);
});
