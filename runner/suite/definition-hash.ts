/**
 * Content hashes that make runs self-describing: one per scenario (what it does, not where it is
 * written) and one for the whole suite with its requirements. Two results.json files whose hashes
 * agree ran the same checks, so a difference between them is the server's; `compare` says when a
 * scenario's definition changed between two runs, so a new check is not mistaken for a regression.
 */
import { createHash } from 'node:crypto';
import type { Scenario, ScenarioFile } from '../scenario/model.js';

/** Keys that say where a scenario is written, not what it does. */
const POSITIONAL_KEYS = new Set(['location', 'file']);

/** 16 hex digits of SHA-256 over the scenario's canonical JSON, positions left out. */
export function scenarioDefinitionHash(scenario: Scenario): string {
  return shortHash(canonicalJson(scenario));
}

/** The suite: every scenario's hash by id, and the requirements text. */
export function suiteDefinitionHash(files: readonly ScenarioFile[], requirementsText: string): string {
  const scenarios = files.flatMap((f) => f.scenarios).map((s) => `${s.id}=${scenarioDefinitionHash(s)}`).sort();
  return shortHash(`${scenarios.join('\n')}\n--\n${requirementsText.replace(/\r\n/g, '\n')}`);
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

/** JSON with object keys sorted and positional keys dropped, so equal definitions give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key, v]) => !POSITIONAL_KEYS.has(key) && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
