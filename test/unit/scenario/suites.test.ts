/**
 * Every scenario file the project ships must load: suites/*.yaml (against the requirements table
 * when it exists) and every ```yaml block of README.md that is a chapter (starts with `chapter:`).
 * Passes with zero files, so it can run before the suite is written.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { PROJECT_ROOT, loadScenarioText, loadSuite, suiteFiles } from '../../../runner/scenario/load.js';
import { parse as parseYaml } from 'yaml';

const SUITES = path.join(PROJECT_ROOT, 'suites');
const README = path.join(PROJECT_ROOT, 'README.md');
const REQUIREMENTS = path.join(SUITES, 'requirements.csv');

/** Requirement ids: the first cell of each row of suites/requirements.csv that looks like an id. */
function requirementIds(): Set<string> | undefined {
  if (!existsSync(REQUIREMENTS)) return undefined;
  const ids = readFileSync(REQUIREMENTS, 'utf8')
    .split(/\r?\n/)
    .map((line) => /^"?([A-Z]{2,}-[0-9]{2,})"?,/.exec(line)?.[1])
    .filter((id): id is string => id !== undefined);
  return new Set(ids);
}

export function readmeChapters(): Array<{ text: string; line: number }> {
  if (!existsSync(README)) return [];
  const blocks: Array<{ text: string; line: number }> = [];
  const pattern = /^```ya?ml[^\n]*\n([\s\S]*?)^```/gm;
  const readme = readFileSync(README, 'utf8');
  for (const match of readme.matchAll(pattern)) {
    if (!match[1].startsWith('chapter:')) continue;
    const line = readme.slice(0, match.index).split('\n').length + 1;
    blocks.push({ text: match[1], line });
  }
  return blocks;
}

test('every suites/*.yaml loads, scenario ids unique across files', () => {
  const files = existsSync(SUITES) ? suiteFiles(SUITES) : [];
  const loaded = files.length > 0 ? loadSuite(files, { requirements: requirementIds() }) : [];
  expect(loaded.map((file) => file.file)).toEqual(files.map((file) => path.relative(PROJECT_ROOT, file)));
  for (const file of loaded) expect(file.scenarios.length).toBeGreaterThan(0);
});

test('every README.md chapter example loads', () => {
  expect(readmeChapters().length, 'README.md shows a chapter example').toBeGreaterThan(0);
  for (const block of readmeChapters()) {
    const file = loadScenarioText(block.text, `README.md (block at line ${block.line})`);
    expect(file.scenarios.length).toBeGreaterThan(0);
  }
});

test('every regular expression in the bundled suite says in words what it expects (`expected:`), so no message prints a regex', () => {
  const unworded: string[] = [];
  const walk = (node: unknown, where: string, parent?: Record<string, unknown>): void => {
    if (Array.isArray(node)) return node.forEach((child, i) => walk(child, `${where}[${i}]`));
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    // a `not: { matches }` is worded by the assertion that holds it
    if ('matches' in record && (record.expected ?? parent?.expected) === undefined) unworded.push(where);
    for (const [key, value] of Object.entries(record)) walk(value, `${where}.${key}`, key === 'not' ? record : undefined);
  };
  for (const file of suiteFiles(SUITES)) walk(parseYaml(readFileSync(file, 'utf8')), path.basename(file));
  expect(unworded).toEqual([]);
});
