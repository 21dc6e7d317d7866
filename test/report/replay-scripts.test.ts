/**
 * Reproductions that run on their own: for several faults, the suite's replay script of the failed
 * scenario is run (as a user would: `npx tsx repro/<id>.mjs`) against a fresh reference server with the
 * same fault — its output must show the defect — and against a clean one, where it must not.
 */
import { test, expect } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { defaultRunConfig, type RunConfig } from '../../runner/config/run-config.js';
import { discoverTarget } from '../../runner/engine/discover-target.js';
import { startEmbeddedTarget } from '../../runner/engine/embedded-target.js';
import { runSuite } from '../../runner/engine/run-suite.js';
import type { RunResults } from '../../runner/report/results-types.js';
import { renderReplayFiles, replayFileOf } from '../../runner/report/replay-files.js';
import { loadProjectSuite } from '../../runner/suite/project-suite.js';
import { startReferenceServer } from '../../reference-server/src/server.js';
import { PROJECT_ROOT } from '../../runner/project-root.js';

const run = promisify(execFile);
const suite = loadProjectSuite();

interface Case {
  fault: string;
  scenario: string;
  /** What the replay's output shows on the faulty server and not on a clean one. */
  defect: RegExp;
  /** What the clean server's replay shows instead (the scenario's expectation met). */
  clean: RegExp;
}

const CASES: Case[] = [
  // a missing handshake: the second of two covered Subscriptions never gets one
  { fault: 'handshake-first-only', scenario: 'binding.handshake.multiple', defect: /^(?![\s\S]*\[socket\] ← [^\n]*"type":"handshake"[^\n]*\n[\s\S]*\[socket\] ← [^\n]*"type":"handshake")/, clean: /\[socket\] ← [^\n]*"type":"handshake"[^\n]*\n[\s\S]*\[socket\] ← [^\n]*"type":"handshake"/ },
  { fault: 'any-token-accepted', scenario: 'forged.random', defect: /\[forgedSocket\] ← .*"type":"handshake"/, clean: /\[control\] ← .*"type":"handshake"/ },
  { fault: 'expired-tokens-accepted', scenario: 'expiry.refused-after', defect: /\[socket\] ← .*"type":"handshake"/, clean: /\[socket\] → bind-with-token/ },
  { fault: 'websocket-url-string', scenario: 'outputs.parameters.conform', defect: /"name": "websocket-url",\s*"valueString"/, clean: /"name": "websocket-url",\s*"valueUrl"/ },
];

async function failedRun(fault: string, scenario: string): Promise<{ results: RunResults; config: RunConfig }> {
  const config: RunConfig = { ...defaultRunConfig(), maxWaitMs: 20_000, reference: { fhirVersion: 'R5', tokenTtlSeconds: 3, faults: [fault] } };
  const server = await startEmbeddedTarget(config);
  try {
    const target = await discoverTarget({ ...config, server: server.url });
    const { results: scenarios } = await runSuite(suite, target, { only: [scenario] });
    const results = { server: { url: server.url, fhirVersion: 'R5' }, level: 'shall', scenarios } as unknown as RunResults;
    // the config as the reporter reads it after an embedded run: the started server named, embedded set
    return { results, config };
  } finally {
    await server.close();
  }
}

async function replay(script: string, config: RunConfig, faults: string[]): Promise<string> {
  const server = await startReferenceServer({ fhirVersion: 'R5', tokenTtlSeconds: 3, faults, bearerToken: [config.auth.bearerToken!, config.auth.otherIdentity!.bearerToken!] });
  try {
    const { stdout } = await run(path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'), [script], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, FHIR_BASE: server.url, FHIR_TOKEN: config.auth.bearerToken, OTHER_IDENTITY_TOKEN: config.auth.otherIdentity!.bearerToken },
      timeout: 40_000,
    });
    return stdout;
  } finally {
    await server.close();
  }
}

for (const { fault, scenario, defect, clean: cleanShows } of CASES) {
  test(`the reproduction of ${scenario} shows ${fault} on a server with it, and not on a clean one`, async () => {
    test.setTimeout(90_000);
    const { results, config } = await failedRun(fault, scenario);
    const failed = results.scenarios.find((s) => s.id === scenario)!;
    expect(failed.outcome, failed.reason).toBe('failed');
    const files = renderReplayFiles(results, config);
    const file = replayFileOf(failed)!;
    expect(Object.keys(files)).toEqual([file]);
    const text = files[file]!;
    expect(text).toContain(`What failed: `);
    expect(text).toMatch(new RegExp(`^//   npx fhir-ws-reference-server .*--fault ${fault}`, 'm'));
    for (const secret of [config.auth.bearerToken!, config.auth.otherIdentity!.bearerToken!]) expect(text).not.toContain(secret);
    const script = path.join(mkdtempSync(path.join(tmpdir(), 'fwc-replay-')), 'replay.mjs');
    writeFileSync(script, text);
    const [faulty, clean] = await Promise.all([replay(script, config, [fault]), replay(script, config, [])]);
    expect(faulty, `replay against a server with ${fault}:\n${faulty}`).toMatch(defect);
    expect(clean, `replay against a clean server:\n${clean}`).not.toMatch(defect);
    expect(clean).toMatch(/← 20[01] /);
    expect(clean).toMatch(cleanShows);
    expect(faulty).not.toContain(config.auth.bearerToken!); // tokens and credentials are shown masked
  });
}
