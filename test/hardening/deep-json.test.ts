/**
 * Issue 11 item 10: a server's shape is a finding, never a harness error. A CapabilityStatement
 * ~3,000 levels deep overflowed the stack in the R4 topic lookup; a deeply nested
 * OperationDefinition made the comparison's rendering (String(value)) throw. Server JSON nested
 * deeper than MAX_JSON_DEPTH is not parsed, and every walk stops at MAX_WALK_DEPTH.
 */
import { test, expect } from '@playwright/test';
import { MAX_JSON_DEPTH, nestsDeeperThan, parseServerJson } from '../../runner/checks/json-depth.js';
import { jsonEqual } from '../../runner/checks/json-equal.js';
import { renderValue } from '../../runner/checks/render.js';
import { redactDeep } from '../../runner/engine/redact-result.js';
import { Redactor } from '../../runner/evidence/redact.js';
import { HttpClient } from '../../runner/net/http-client.js';
import { deepCapabilityStatementText, sendJsonText, startHostileFhirServer } from '../support/hostile-fhir-server.js';

const DEPTH = 3_000;

function deepExtension(levels: number): Record<string, unknown> {
  let node: Record<string, unknown> = { url: 'http://example.org/leaf', valueString: 'secret-value-123' };
  for (let i = 0; i < levels; i++) node = { extension: [node] };
  return node;
}

function deepArray(levels: number): unknown {
  let node: unknown = 1;
  for (let i = 0; i < levels; i++) node = [node];
  return node;
}

test('JSON text nested deeper than the limit is found in one scan, strings and escapes respected', () => {
  expect(nestsDeeperThan('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBe(false);
  expect(nestsDeeperThan('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1))).toBe(true);
  expect(nestsDeeperThan(JSON.stringify({ text: '['.repeat(5_000), quote: '\\"[[[' }))).toBe(false);
  expect(parseServerJson('{"a": [1, {"b": 2}]}')).toEqual({ json: { a: [1, { b: 2 }] } });
  expect(parseServerJson('{"a": ')).toMatchObject({ error: expect.stringMatching(/^not JSON: /), notJson: true });
  expect(parseServerJson(`${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`).error).toBe(`JSON nested deeper than ${MAX_JSON_DEPTH} levels, not parsed (the harness walks no deeper)`);
});

test('a 3,000-level CapabilityStatement reaches the engine as a body that was not parsed, with the reason', async () => {
  const server = await startHostileFhirServer({ metadata: sendJsonText(deepCapabilityStatementText(DEPTH)) });
  try {
    const result = await new HttpClient({ baseUrl: server.url, timeoutMs: 10_000 }).request({ method: 'GET', path: 'metadata' });
    expect(result.status).toBe(200);
    expect(result.json).toBeUndefined();
    expect(result.jsonError).toMatch(/nested deeper than 100 levels/);
  } finally {
    await server.close();
  }
});

test('rendering, comparing and redacting a value deeper than any walk goes never throw', () => {
  const redactor = new Redactor();
  redactor.add('secret-value-123');
  for (const build of [() => deepExtension(DEPTH), () => deepArray(DEPTH), () => deepArray(100_000)]) {
    const value = build();
    expect(renderValue(value).length).toBeLessThanOrEqual(200);
    expect(jsonEqual(value, build()), 'two equal values too deep to walk are not called equal').toBe(false);
    const redacted = JSON.stringify(redactDeep(value, redactor));
    expect(redacted).toContain('nested deeper than 200 levels: not kept');
    expect(redacted).not.toContain('secret-value-123');
  }
});
