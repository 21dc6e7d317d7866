/** The chapter shown in README.md is not only valid: it passes against the reference server. */
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { discoverTarget } from '../../runner/engine/discover-target.js';
import { runSuite } from '../../runner/engine/run-suite.js';
import { loadScenarioText } from '../../runner/scenario/load.js';
import { PROJECT_ROOT, loadProjectSuite } from '../../runner/suite/project-suite.js';
import { startReferenceServer } from '../../reference-server/src/server.js';
import { testRunConfig } from './in-process-suite.js';

test('the README chapter example passes against the reference server', async () => {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const block = /^```yaml\n(chapter:[\s\S]*?)^```/m.exec(readme);
  expect(block, 'README.md has a chapter example').not.toBeNull();
  const requirements = new Set(loadProjectSuite().flatMap((f) => f.scenarios.flatMap((s) => s.requirements)));
  const chapter = loadScenarioText(block![1]!, 'README.md', { requirements: new Set([...requirements, 'FW-04']) });
  const server = await startReferenceServer({ fhirVersion: 'R5' });
  try {
    const target = await discoverTarget(testRunConfig(server.url, 'R5'));
    const { results } = await runSuite([chapter], target);
    expect(results.map((r) => `${r.id}: ${r.outcome} ${r.reason ?? ''}`.trim())).toEqual(['example.metadata: passed', 'example.handshake: passed']);
  } finally {
    await server.close();
  }
});
