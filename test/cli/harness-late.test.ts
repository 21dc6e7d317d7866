/**
 * Timing truth, end to end: when the harness binds a token after its stated expiration (here a
 * stall stands in for a loaded machine), the server's correct refusal is not its failure — the
 * scenario is blocked by the harness, with the numbers, and the run exits 2 ("could not judge"),
 * also after a retry that is late again.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { RunResults } from '../../runner/report/results-types.js';
import { runCli } from '../support/run-cli.js';

const SUITE = `chapter: late
title: A harness that stalls before it binds
scenarios:
  - id: late.metadata
    title: The CapabilityStatement is served
    requirements: [FW-04]
    level: SHALL
    steps:
      - name: read metadata
        http: { method: GET, path: metadata }
        expect: { status: 200 }
  - id: late.bind
    title: A genuine token bound after the harness stalled past its expiration
    requirements: [WS-04]
    level: DEF
    fixtures:
      - subscription: a
        channel: websocket
    steps:
      - name: obtain a token for A
        getToken: { subscriptions: ["\${a.id}"], as: tok }
      - name: open the returned websocket-url
        ws.connect: { url: "\${tok.websocketUrl}", as: socket }
      - name: the harness stalls past the expiration (as on a machine with a load average of 25)
        wait: { until: "\${tok.expiration}", offset: 300ms }
      - name: bind the token (meant to leave while it is valid)
        ws.bind: { socket: socket, token: "\${tok.token}", form: space }
      - name: a handshake for A
        ws.expect:
          socket: socket
          match: { notification: handshake, subscription: "\${a.id}" }
      - name: never reached
        ws.close: { socket: socket }
`;

function suiteDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fwc-late-'));
  mkdirSync(path.join(dir, 'suite'));
  writeFileSync(path.join(dir, 'suite', '01-late.yaml'), SUITE);
  return dir;
}

test('a bind the harness sent after the stated expiration is blocked by the harness, never failed: exit 2, also after a retry', async () => {
  test.setTimeout(240_000);
  const dir = suiteDir();
  for (const retries of [0, 1]) {
    const reportDir = path.join(dir, `report-${retries}`);
    const run = await runCli(['--suite', path.join(dir, 'suite'), '--token-ttl', '1', '--retries', String(retries), '--workers', '1', '--report-dir', reportDir]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/ 1 passed, 0 failed, 1 blocked, /);
    expect(run.stderr).toContain('fhir-ws-conformance: Could not judge 1 scenario: late.bind (blocked by the harness (timing or setup of the run, not the server)');
    const results = JSON.parse(readFileSync(path.join(reportDir, 'results.json'), 'utf8')) as RunResults;
    expect(results.verdict).toBe('error');
    const late = results.scenarios.find((s) => s.id === 'late.bind')!;
    expect(late).toMatchObject({ outcome: 'blocked', blockedBy: 'harness' });
    expect(late.reason).toMatch(/bound \d+\.\d s after the stated expiration/);
    const handshake = late.checks.find((c) => !c.passed)!;
    expect(handshake).toMatchObject({ prerequisite: { harness: true }, location: { file: expect.stringContaining('01-late.yaml'), line: 28 } });
    expect(late.steps!.map((s) => s.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'blocked', 'not-run']);
    expect(late.transcript.some((e) => e.kind === 'note' && /socket: bind sent \d+\.\d s after the token's stated expiration/.test(e.text))).toBe(true);
    if (retries > 0) expect(late.attempts).toBe(2);
    // the requirement it would have judged is not judged, not failed
    expect(results.requirements?.find((r) => r.id === 'WS-04')?.outcome).toBe('blocked');
  }
});
