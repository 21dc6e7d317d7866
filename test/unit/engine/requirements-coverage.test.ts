/**
 * The requirements table is the source of truth, and coverage is derived, never hand-kept:
 * a requirement is marked tested exactly when a scenario names it, and every untested one says why.
 */
import { test, expect } from '@playwright/test';
import { loadProjectSuite, REQUIREMENTS_FILE } from '../../../runner/suite/project-suite.js';
import { parseCsv, readRequirements } from '../../../runner/suite/requirements.js';

const rows = readRequirements(REQUIREMENTS_FILE);
const named = new Set(loadProjectSuite().flatMap((f) => f.scenarios.flatMap((s) => s.requirements)));

test('tested = yes exactly for the requirements some scenario names', () => {
  expect(rows.filter((r) => r.tested && !named.has(r.id)).map((r) => r.id), 'marked tested, but no scenario names them').toEqual([]);
  expect(rows.filter((r) => !r.tested && named.has(r.id)).map((r) => r.id), 'named by scenarios, but marked untested').toEqual([]);
});

test('every untested requirement gives its reason; ids are unique; levels are spec keywords', () => {
  expect(rows.filter((r) => !r.tested && !r.notTestedReason).map((r) => r.id)).toEqual([]);
  expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  for (const row of rows) expect(['SHALL', 'SHALL NOT', 'SHOULD', 'MAY', 'DEF', 'IMPL'], row.id).toContain(row.level);
  for (const row of rows) expect(row.url, row.id).toMatch(/^https?:\/\//);
});

test('the CSV reader handles quotes, doubled quotes, commas and CRLF', () => {
  expect(parseCsv('a,"b, c","say ""hi"""\r\nd,e,f\n')).toEqual([['a', 'b, c', 'say "hi"'], ['d', 'e', 'f']]);
  expect(() => parseCsv('a,"open')).toThrow('unterminated quoted field');
});
