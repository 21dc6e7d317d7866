/**
 * Content hashes that make runs self-describing: one per scenario (what it does, not where it is
 * written) and one for the whole suite with its requirements. Two results.json files whose hashes
 * agree ran the same checks, so a difference between them is the server's; `compare` says when a
 * scenario's definition changed between two runs, so a new check is not mistaken for a regression.
 */
import { createHash } from 'node:crypto';
import type { Scenario, ScenarioFile } from '../scenario/model.js';

/** 16 hex digits of SHA-256 over the scenario's canonical JSON, positions left out. */
export function scenarioDefinitionHash(scenario: Scenario): string {
  const { file: _where, chapter: _chapter, ...definition } = scenario;
  return shortHash(canonicalJson(definition));
}

/** The suite: every scenario's hash by id, and the requirements text. */
export function suiteDefinitionHash(files: readonly ScenarioFile[], requirementsText: string): string {
  const scenarios = files.flatMap((f) => f.scenarios).map((s) => `${s.id}=${scenarioDefinitionHash(s)}`).sort();
  return shortHash(`${scenarios.join('\n')}\n--\n${requirementsText.replace(/\r\n/g, '\n')}`);
}

/** The loader's SourceLocation, exactly: { file, line, column }. */
function isSourceLocation(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return Object.keys(v).length === 3 && typeof v.file === 'string' && typeof v.line === 'number' && typeof v.column === 'number';
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

/**
 * JSON with object keys sorted and source positions dropped, so equal definitions give equal text.
 * Only the loader's `location` ({ file, line, column }) is a position: a `location` the scenario
 * itself checks (a Location header, a resource field) is content and stays.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key, v]) => v !== undefined && !(key === 'location' && isSourceLocation(v)))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
