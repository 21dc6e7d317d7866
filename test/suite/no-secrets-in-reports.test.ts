/**
 * No secret reaches any report. The real CLI runs the whole suite against a reference server that
 * requires a bearer token (given through --config and the environment) and has faults that make
 * scenarios fail, so failure evidence and reproductions are written too. Then EVERY file under the
 * report directory is read — results.json, index.html, junit.xml, testreport.json, Playwright's
 * report including the zip of report data embedded in its index.html (and base64 attachment bodies
 * inside it) — and neither the bearer token nor any binding token the server ever issued may appear,
 * raw, JSON-escaped or percent-encoded.
 */
import { test, expect } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { embeddedZips, readZip } from '../../runner/report/zip-entries.js';
import { startReferenceServer } from '../../reference-server/src/server.js';
import { CLI_DEADLINE_MS, ROOT, runCli, type CliRun } from '../support/run-cli.js';
import type { RunResults } from '../../runner/report/results-types.js';


/**
 * Faults that fail scenarios around tokens: the answer that issued one (outputs.*, with curl
 * reproductions carrying the Authorization header), a crash on a bad id, a forged and an expired
 * token that still bind (websocket evidence).
 */
// binding-token-any-identity: the second identity's request is in a failed scenario's evidence
const FAULTS = ['subscription-output-wrong', 'expiration-no-timezone', 'malformed-id-500', 'token-case-insensitive', 'expired-tokens-accepted', 'binding-token-any-identity'];


/** A readable piece of a report: a file, or something found inside one (a zip entry, a base64 body). */
interface Readable { where: string; text: string }

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Every text a file holds, unpacking zips (as files, or embedded base64 in Playwright's index.html). */
function readablesOf(file: string, reportDir: string): Readable[] {
  const where = path.relative(reportDir, file);
  const bytes = readFileSync(file);
  const readables: Readable[] = [{ where, text: bytes.toString('utf8') }];
  const zips = file.endsWith('.zip') ? [bytes] : embeddedZips(bytes.toString('utf8'));
  zips.forEach((zip, index) => {
    for (const entry of unzip(zip)) {
      const inside = `${where} › ${zips.length > 1 || !file.endsWith('.zip') ? `embedded zip ${index + 1} › ` : ''}${entry.name}`;
      readables.push({ where: inside, text: entry.text }, ...base64Bodies(entry.text, inside));
    }
  });
  return readables;
}

/** The tool's own zip reader (report-folder-guard.ts scans with it too); a zip it cannot read fails the test. */
function unzip(zip: Buffer): Array<{ name: string; text: string }> {
  const read = readZip(zip);
  if (!read.ok) throw new Error(`not a readable zip: ${read.reason}`);
  return read.entries.map((entry) => ({ name: entry.name, text: entry.bytes.toString('utf8') }));
}

/** Attachment bodies Playwright stores as base64: every base64-looking JSON string, decoded. */
function base64Bodies(text: string, where: string): Readable[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  const found: Readable[] = [];
  const visit = (value: unknown, pathSoFar: string): void => {
    if (typeof value === 'string' && value.length >= 16 && value.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
      found.push({ where: `${where} › ${pathSoFar} (base64-decoded)`, text: Buffer.from(value, 'base64').toString('utf8') });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${pathSoFar}[${index}]`));
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(item, pathSoFar ? `${pathSoFar}.${key}` : key);
    }
  };
  visit(json, '');
  return found;
}

/** The ways a secret can be written: as is, inside a JSON string, in a URL. */
function encodedForms(secret: string): Array<{ form: string; text: string }> {
  const json = JSON.stringify(secret).slice(1, -1);
  const percent = encodeURIComponent(secret);
  const forms = [
    { form: 'raw', text: secret },
    { form: 'JSON-escaped', text: json },
    { form: 'JSON-escaped with \\/', text: json.replaceAll('/', '\\/') },
    { form: 'percent-encoded', text: percent },
    { form: 'percent-encoded (lower-case hex)', text: percent.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()) },
  ];
  return forms.filter((candidate, index) => forms.findIndex((other) => other.text === candidate.text) === index);
}

interface Leak { where: string; secret: string; form: string; occurrences: number; context: string }

/** Where each secret occurs; the message shows its first 4 characters and the text around it, never the secret. */
function findLeaks(readables: Readable[], secrets: Array<{ label: string; value: string }>): Leak[] {
  const leaks: Leak[] = [];
  for (const { label, value } of secrets) {
    for (const { form, text: needle } of encodedForms(value)) {
      for (const { where, text } of readables) {
        const at = text.indexOf(needle);
        if (at < 0) continue;
        const before = text.slice(Math.max(0, at - 120), at);
        const after = text.slice(at + needle.length, at + needle.length + 40);
        const occurrences = text.split(needle).length - 1;
        leaks.push({ where, secret: `${label} ${value.slice(0, 4)}…`, form, occurrences, context: `${before}<SECRET>${after}`.replace(/\s+/g, ' ') });
      }
    }
  }
  return leaks;
}

/** Which scenarios of results.json hold a secret, and in which part (check actual, transcript, reproduction). */
function scenariosHolding(results: RunResults, secrets: Array<{ label: string; value: string }>): string[] {
  return results.scenarios.flatMap((scenario) => {
    const parts = { checks: scenario.checks, transcript: scenario.transcript, reproduction: scenario.reproduction ?? [] };
    const hits = Object.entries(parts).flatMap(([part, value]) => {
      const text = JSON.stringify(value);
      const found = secrets.filter((secret) => encodedForms(secret.value).some((form) => text.includes(form.text)));
      return found.length > 0 ? [`${part} (${found.map((secret) => secret.label).join(', ')})`] : [];
    });
    return hits.length > 0 ? [`${scenario.id} [${scenario.outcome}]: ${hits.join('; ')}`] : [];
  });
}

test('no bearer token and no issued binding token appears in any file of any report', async () => {
  test.setTimeout(CLI_DEADLINE_MS + 20_000);
  // "/", "+" and "=" change under percent-encoding, so that form is really searched for.
  const bearer = `fwc-probe/${randomBytes(12).toString('base64url')}+x=`;
  const otherBearer = `fwc-other/${randomBytes(12).toString('base64url')}+y=`;
  // A short custom credential: 7 characters, below every length threshold the redactor ever had.
  const apiKey = `k${randomBytes(6).toString('hex').slice(0, 6)}`;
  const server = await startReferenceServer({ fhirVersion: 'R4B', bearerToken: [bearer, otherBearer], tokenTtlSeconds: 3, faults: FAULTS as never });
  const dir = mkdtempSync(path.join(tmpdir(), 'fwc-no-secrets-'));
  const reportDir = path.join(dir, 'report');
  const config = path.join(dir, 'config.yaml');
  writeFileSync(config, 'auth:\n  bearerToken: ${env:FHIR_TOKEN}\n  headers:\n    X-Api-Key: ${env:FHIR_API_KEY}\n  otherIdentity:\n    bearerToken: ${env:OTHER_FHIR_TOKEN}\nmaxWait: 20s\n');
  let run: CliRun;
  let issued: string[];
  try {
    run = await runCli(['--server', server.url, '--config', config, '--report-dir', reportDir], { FHIR_TOKEN: bearer, OTHER_FHIR_TOKEN: otherBearer, FHIR_API_KEY: apiKey });
    issued = server.issuedTokens();
  } finally {
    await server.close();
  }
  expect(run.code, run.stderr).toBe(1);
  expect(`${run.stdout}\n${run.stderr}`.includes(bearer), 'the terminal output shows the bearer token').toBe(false);
  expect(`${run.stdout}\n${run.stderr}`.includes(otherBearer), 'the terminal output shows the second identity\'s token').toBe(false);
  expect(`${run.stdout}\n${run.stderr}`.includes(apiKey), 'the terminal output shows the API key').toBe(false);
  expect(run.stderr, 'nothing reached a report unredacted, so the closing scan had nothing to mask').not.toContain('SECRET LEAK');

  // The run really produced what must be checked: failures with reproductions, and many tokens.
  const results = JSON.parse(readFileSync(path.join(reportDir, 'results.json'), 'utf8')) as RunResults;
  expect(results.scenarios.filter((s) => s.outcome === 'failed' && (s.reproduction?.length ?? 0) > 0).length).toBeGreaterThan(3);
  expect(issued.length).toBeGreaterThan(30);

  const files = filesUnder(reportDir);
  for (const expected of ['results.json', 'index.html', 'junit.xml', 'testreport.json', path.join('playwright', 'index.html')]) {
    expect(files.map((file) => path.relative(reportDir, file)), expected).toContain(expected);
  }
  const readables = files.flatMap((file) => readablesOf(file, reportDir));
  expect(readables.some((r) => r.where.startsWith(path.join('playwright', 'index.html')) && r.where.includes('report.json')), 'the Playwright report data was unpacked').toBe(true);

  expect(results.scenarios.find((s) => s.id === 'scope.other-identity-refused')?.outcome, 'the second identity was used, and its request is in the evidence').toBe('failed');
  const secrets = [{ label: 'bearer token', value: bearer }, { label: 'second identity\'s bearer token', value: otherBearer }, { label: '7-character X-Api-Key', value: apiKey }, ...issued.map((value, index) => ({ label: `binding token #${index + 1}`, value }))];
  const leaks = findLeaks(readables, secrets);
  const described = leaks.map((leak) => `${leak.where}: ${leak.secret} (${leak.form}) ×${leak.occurrences} … ${leak.context}`);
  const scenarios = scenariosHolding(results, secrets).join('\n');
  expect(described, `secrets found in the reports; in results.json they sit in these scenarios:\n${scenarios}`).toEqual([]);
});
