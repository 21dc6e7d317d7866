/**
 * A server that implements the operation its own way, tested end to end from a config file: the
 * reference server with `--preset medplum-like` (Medplum as its code and a live 5.0.10 show it) behind a
 * bearer token, and the REAL command (`node bin/fhir-ws-conformance.js`) run with the conventions of
 * examples/medplum-like-local.yaml. The run must be non-conformant for exactly the reasons Medplum
 * diverges from the spec — each failure in the scenario that tests that behaviour, and no other
 * scenario failing because of it (no cascade), with every check that can still run having run.
 */
import { test, expect } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startReferenceServer } from '../../reference-server/src/server.js';
import { CLI_DEADLINE_MS, ROOT, runCli, type CliRun } from '../support/run-cli.js';
import { readConfigFile } from '../../runner/config/config-file.js';
import type { RunResults, ScenarioResult } from '../../runner/report/results-types.js';

const EXAMPLE = path.join(ROOT, 'examples', 'medplum-like-local.yaml');
const REAL_MEDPLUM_EXAMPLE = path.join(ROOT, 'examples', 'medplum.yaml');

/**
 * The scenarios Medplum's divergences make fail, each with the divergence and the requirements whose
 * checks must be among the failed ones (so it fails for that reason, not a neighbour's).
 */
const EXPECTED_FAILURES: Record<string, { divergence: string; failedRequirements: string[] }> = {
  // the media-type check is FW-09 (FHIR's MIME types), not FW-04 (metadata is served at all)
  'discovery.metadata.available': { divergence: 'metadata answers Content-Type application/json, not application/fhir+json', failedRequirements: ['FW-09'] },
  'invoke.instance.post-parameters': { divergence: 'POST refused: only GET Subscription/:id/$get-ws-binding-token is routed', failedRequirements: ['OP-03'] },
  'invoke.instance.post-empty': { divergence: 'POST refused', failedRequirements: ['OP-06'] },
  'invoke.type.single-id': { divergence: 'no type level (asked by GET, the method this server answers)', failedRequirements: ['OP-02'] },
  'invoke.type.several-ids': { divergence: 'no type level (asked by GET, the method this server answers)', failedRequirements: ['OP-08'] },
  'invoke.type.get-several-ids': { divergence: 'no type level: GET ?id=a&id=b is SHALL on R4', failedRequirements: ['OP-04'] },
  'binding.handshake.single': {
    divergence: 'R4 notifications carry a SubscriptionStatus resource instead of the backport Parameters, and history Bundles lack entry.request',
    failedRequirements: ['NB-02', 'NB-03'],
  },
  'binding.events.empty': { divergence: 'the resource is always included (content ignored); eventNumber is always "0"', failedRequirements: ['NB-06', 'NB-05'] },
  'binding.events.id-only': { divergence: 'the resource is always included (content ignored); eventNumber is always "0"', failedRequirements: ['NB-07', 'NB-05'] },
  'binding.events.full-resource': { divergence: 'eventNumber is always "0", never sequential', failedRequirements: ['NB-05'] },
  'binding.vanished-client': { divergence: 'the Subscription is deleted when the first socket bound to it drops, so the second socket gets no event', failedRequirements: ['WS-15'] },
};

/**
 * Scenarios the divergences leave unjudged (blocked): what they need is missing, and the scenario
 * named (itself failed above) judges that. A refusal from a route that is not there is not one.
 */
const EXPECTED_BLOCKED: Record<string, { divergence: string; judgedBy: string }> = {
  'binding.handshake.multiple': { divergence: 'a token for two Subscriptions needs the type level', judgedBy: 'invoke.type.several-ids' },
  'invoke.type.no-ids': { divergence: 'no type level: the 404 is the missing route, not a refusal', judgedBy: 'invoke.type.get-several-ids' },
  'invoke.errors.unknown-id-type-level': { divergence: 'no type level', judgedBy: 'invoke.type.get-several-ids' },
  'invoke.errors.malformed-id': { divergence: 'no type level for the id inputs (the instance URLs are judged by GET)', judgedBy: 'invoke.type.get-several-ids' },
  'invoke.errors.malformed-body': { divergence: 'POST refused: a body is never read', judgedBy: 'invoke.instance.post-parameters' },
  'scope.other-identity-refused': { divergence: 'no type level for the second question', judgedBy: 'invoke.type.get-several-ids' },
  // after a disconnect the Subscription is gone: there is nothing to reconnect to
  'connections.missed.event-numbers': { divergence: 'the Subscription is deleted when its socket closes', judgedBy: 'binding.vanished-client' },
  'connections.missed.status-counts': { divergence: 'the Subscription is deleted when its socket closes', judgedBy: 'binding.vanished-client' },
  'connections.missed.events-operation': { divergence: 'the Subscription is deleted when its socket closes', judgedBy: 'binding.vanished-client' },
};

/** SHOULD-level divergences: passed with a warning. */
const EXPECTED_WARNINGS: Record<string, string> = {
  'discovery.capability.operation-listed': 'the CapabilityStatement does not list the operation under Subscription',
  'binding.heartbeat.period': 'heartbeatPeriod is ignored: a fixed, server-wide 10 s heartbeat',
  'outputs.websocket-url.wss': 'ws:// — the local reference server has no TLS (a real Medplum answers wss://)',
  'scope.revoked-on-delete': "a deleted Subscription's token still binds and gets a handshake",
};

/** Not applicable, or beyond the run's patience — each with the sentence that says so. */
const EXPECTED_SKIPS: Record<string, RegExp> = {
  'invoke.instance.get.r5': /not applicable to R4/,
  'expiry.binds-late-in-life': /lives longer than the configured maxWait/, // one-hour tokens, as Medplum's
  'expiry.refused-after': /lives longer than the configured maxWait/,
  'connections.after-expiry.recorded': /lives longer than the configured maxWait/,
  'connections.idle.survives': /opt-in: run with --soak/,
};

/** Scenarios that would also fail were their own concern not tested: the steps proper to them must have run. */
const OWN_CHECKS_RAN: Record<string, string> = {
  'binding.events.empty': 'WS-13',
  'binding.events.id-only': 'WS-13',
  'binding.events.full-resource': 'WS-13',
  'binding.heartbeat.period': 'WS-08',
  'binding.rebind.same-connection': 'WS-16',
};


/** The example's conventions, pointed at the live server (the example's port is a placeholder). */
function configFor(serverUrl: string, dir: string): string {
  const example = readFileSync(EXAMPLE, 'utf8');
  expect(example).toMatch(/^server: .*$/m);
  const file = path.join(dir, 'medplum-like.yaml');
  writeFileSync(file, example.replace(/^server: .*$/m, `server: ${serverUrl}`));
  return file;
}

function failedRequirements(scenario: ScenarioResult): string[] {
  return [...new Set(scenario.checks.filter((c) => !c.passed && c.level !== 'SHOULD' && c.level !== 'MAY').map((c) => c.requirement ?? ''))];
}

function summary(results: RunResults): string {
  return results.scenarios.map((s) => `${s.id}: ${s.outcome}${s.reason ? ` — ${s.reason}` : ''}`).join('\n');
}

test('Medplum-like server from a config file: non-conformant for exactly its divergences, nothing else', async () => {
  test.setTimeout(CLI_DEADLINE_MS + 10_000);
  const [bearer, otherBearer] = [randomBytes(18).toString('base64url'), randomBytes(18).toString('base64url')];
  const server = await startReferenceServer({ preset: 'medplum-like', bearerToken: [bearer, otherBearer] });
  const dir = mkdtempSync(path.join(tmpdir(), 'fwc-medplum-like-'));
  let run: CliRun;
  try {
    run = await runCli(['--server', server.url, '--config', configFor(server.url, dir), '--report-dir', path.join(dir, 'report')], { FHIR_TOKEN: bearer, OTHER_FHIR_TOKEN: otherBearer });
  } finally {
    await server.close();
  }
  expect(run.code, run.stderr).toBe(1);
  const results = JSON.parse(readFileSync(path.join(dir, 'report', 'results.json'), 'utf8')) as RunResults;
  const all = summary(results);
  expect(results.server.fhirVersion).toBe('R4');
  expect(results.verdict, all).toBe('non-conformant');
  expect(results.profile, 'what the run learned about the server').toMatchObject({
    bindForms: ['json'],
    invocation: 'instance-get',
    tokenKind: 'jwt',
    bindingTokenRestBearer: expect.stringMatching(/^accepted: /),
    bindingTokenSelfRenewal: expect.stringMatching(/^yes: /),
    tokenInUrl: expect.stringMatching(/^no: /),
  });

  // Soft assertions: one run shows every way it departs from the expected picture.
  const byId = new Map(results.scenarios.map((s) => [s.id, s]));
  const outcome = (id: string): string => byId.get(id)?.outcome ?? 'missing';
  expect.soft(results.scenarios.filter((s) => s.outcome === 'error').map((s) => `${s.id}: ${s.reason}`), 'no scenario errored').toEqual([]);
  expect.soft(results.scenarios.filter((s) => s.outcome === 'failed' && !(s.id in EXPECTED_BLOCKED)).map((s) => s.id).sort(), all).toEqual(Object.keys(EXPECTED_FAILURES).sort());
  for (const [id, { divergence, judgedBy }] of Object.entries(EXPECTED_BLOCKED)) {
    const scenario = byId.get(id);
    expect.soft(scenario?.outcome, `${id} is not judged (${divergence})`).not.toBe('passed');
    // Checked on the checks, so it holds whether or not the engine's outcome already says 'blocked'.
    const failing = (scenario?.checks ?? []).filter((c) => !c.passed && c.level !== 'SHOULD' && c.level !== 'MAY');
    expect.soft(failing.map((c) => c.prerequisite?.judgedBy ?? `not a prerequisite: ${c.label}`), `${id} is blocked by ${judgedBy} (${divergence}): ${scenario?.reason}`).toEqual(failing.map(() => judgedBy));
    expect.soft(failing.length, id).toBeGreaterThan(0);
  }
  for (const [id, { divergence, failedRequirements: wanted }] of Object.entries(EXPECTED_FAILURES)) {
    const scenario = byId.get(id);
    if (!scenario) continue; // reported by the set comparison above
    expect.soft(failedRequirements(scenario), `${id} must fail because ${divergence}; it failed with: ${scenario.reason}`).toEqual(expect.arrayContaining(wanted));
  }
  for (const [id, divergence] of Object.entries(EXPECTED_WARNINGS)) {
    expect.soft(outcome(id), `${id} warns (${divergence}); it ended: ${byId.get(id)?.reason}`).toBe('warning');
  }
  for (const [id, reason] of Object.entries(EXPECTED_SKIPS)) {
    expect.soft(outcome(id), `${id} is skipped; it ended: ${byId.get(id)?.reason}`).toBe('skipped');
    expect.soft(byId.get(id)?.reason, id).toMatch(reason);
  }
  const expected = new Set([...Object.keys(EXPECTED_FAILURES), ...Object.keys(EXPECTED_BLOCKED), ...Object.keys(EXPECTED_WARNINGS), ...Object.keys(EXPECTED_SKIPS)]);
  const others = results.scenarios.filter((s) => !expected.has(s.id));
  expect.soft(others.filter((s) => s.outcome !== 'passed').map((s) => `${s.id}: ${s.outcome} — ${s.reason}`), 'every other scenario passes').toEqual([]);
  for (const [id, requirement] of Object.entries(OWN_CHECKS_RAN)) {
    const ran = byId.get(id)?.checks.some((c) => c.requirement === requirement) ?? false;
    expect.soft(ran, `${id}: its own ${requirement} check ran (a failure elsewhere in it must not stop it)`).toBe(true);
  }
});

test('examples/medplum.yaml (a real Medplum) loads and uses the same conventions the local run proves', () => {
  const env = { FHIR_TOKEN: 't', OTHER_FHIR_TOKEN: 'u', MEDPLUM_CLIENT_ID: 'id', MEDPLUM_CLIENT_SECRET: 'secret' };
  const real = readConfigFile(REAL_MEDPLUM_EXAMPLE, env).values;
  const local = readConfigFile(EXAMPLE, env).values;
  for (const key of ['fhirVersion', 'topic', 'bindForm', 'subscriptions', 'level'] as const) expect(real[key], key).toEqual(local[key]);
  expect(real.server).toMatch(/^https:\/\/.+\/fhir\/R4$/);
  expect(real.auth?.oauth2).toMatchObject({ clientId: 'id', clientSecret: 'secret' });
  expect(real.auth?.oauth2?.tokenUrl).toMatch(/\/oauth2\/token$/);
  // Shorter than Medplum's one-hour token: the expiry scenarios are skipped, saying why, instead of waiting an hour.
  expect(real.maxWaitMs).toBeLessThan(3_600_000);
  expect(local.maxWaitMs).toBeLessThan(3_600_000);
});
