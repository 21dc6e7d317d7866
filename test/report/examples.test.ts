/**
 * The CI examples must not rot: they parse as YAML, every fhir-ws-conformance command line in them is
 * accepted by the real argument parser, and the example config and baseline files load.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { parse } from 'yaml';
import { parseArgs } from '../../runner/cli/args.js';
import { parseConfigText } from '../../runner/config/config-file.js';
import { loadBaseline } from '../../runner/report/baseline.js';

const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));
const read = (name: string) => readFileSync(example(name), 'utf8');

/** Shell variables replaced by plausible values, quotes removed, split into argv after the command. */
function commandLines(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => /npx --yes fhir-ws-conformance /.test(line))
    .map((line) => line.slice(line.indexOf('fhir-ws-conformance ') + 'fhir-ws-conformance '.length))
    .map((line) => line.replace(/\s*\|\|.*$/, ''))
    .map((line) => line
      .replace(/\$\{\{ matrix\.shard \}\}/g, '2')
      .replace(/\$CI_NODE_INDEX/g, '2')
      .replace(/\$CI_NODE_TOTAL/g, '3')
      .replace(/\$FHIR_SERVER/g, 'https://fhir.example.org/fhir')
      .replace(/\$EXTRA/g, '--config fhir-ws-conformance.yaml --baseline fhir-ws-baseline.yaml')
      .replace(/"/g, ''))
    .map((line) => line.trim().split(/\s+/));
}

for (const name of ['github-actions.yml', 'gitlab-ci.yml']) {
  test(`${name} parses and its command lines are valid fhir-ws-conformance invocations`, () => {
    expect(() => parse(read(name))).not.toThrow();
    const lines = commandLines(read(name));
    const parsed = lines.map((argv) => parseArgs(argv));
    const runs = parsed.filter((a) => a.command === 'run');
    if (name === 'github-actions.yml') expect(parsed.filter((a) => a.command === 'compare')).toHaveLength(1);
    expect(parsed.filter((a) => a.command === 'merge')).toEqual([{ command: 'merge', files: ['reports/shard-*/results.json'], reportDir: 'reports/merged' }]);
    expect(runs.length).toBe(2); // the single job and the sharded job
    const [single, sharded] = runs as Extract<ReturnType<typeof parseArgs>, { command: 'run' }>[];
    expect(single).toMatchObject({ server: 'https://fhir.example.org/fhir', reportDir: 'reports', config: 'fhir-ws-conformance.yaml', baseline: 'fhir-ws-baseline.yaml', playwrightArgs: [] });
    expect(sharded).toMatchObject({ reportDir: 'reports/shard-2', playwrightArgs: ['--shard=2/3'] });
  });
}

test('the GitHub workflow keeps reports and publishes JUnit whatever the outcome', () => {
  const workflow = parse(read('github-actions.yml'));
  const steps = workflow.jobs.conformance.steps as { uses?: string; if?: string; with?: Record<string, unknown> }[];
  const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
  expect(upload.if).toContain('always()');
  expect(upload.with!.path).toBe('reports/');
  const junit = steps.find((s) => s.uses?.startsWith('dorny/test-reporter'))!;
  expect(junit.with).toMatchObject({ path: 'reports/junit.xml', reporter: 'java-junit', 'fail-on-error': false });
  expect(workflow.jobs['conformance-sharded'].strategy.matrix.shard).toEqual([1, 2, 3]);
  const publish = workflow.jobs['publish-shards'].steps as { uses?: string; if?: string; with?: Record<string, unknown> }[];
  expect(publish.find((s) => s.uses?.startsWith('dorny/test-reporter'))!.with).toMatchObject({ path: 'reports/merged/junit.xml' });
});

test('the GitLab job keeps reports and feeds junit.xml to the merge request', () => {
  const pipeline = parse(read('gitlab-ci.yml'));
  expect(pipeline['fhir-ws-conformance'].artifacts).toMatchObject({ when: 'always', paths: ['reports/'], reports: { junit: 'reports/junit.xml' } });
  expect(pipeline['fhir-ws-conformance-sharded']).toMatchObject({ parallel: 3, artifacts: { when: 'always', paths: ['reports/'] } });
  expect(pipeline['fhir-ws-conformance-merged']).toMatchObject({ needs: ['fhir-ws-conformance-sharded'], artifacts: { when: 'always', reports: { junit: 'reports/merged/junit.xml' } } });
});

test('the example config and baseline files load', () => {
  const config = parseConfigText(read('fhir-ws-conformance.example.yaml'), 'fhir-ws-conformance.example.yaml', { FHIR_TOKEN: 'token-from-ci' });
  expect(config.auth?.bearerToken).toBe('token-from-ci');
  const baseline = loadBaseline(example('fhir-ws-baseline.example.yaml'));
  expect(baseline.entries.map((e) => e.scenario)).toEqual(['outputs.websocket-url.wss']);
});
