import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { EXCLUSIVE_FAULT_GROUPS, FAULT_NAMES, FAULT_TABLE, renderFaultTableMarkdown, roleOn } from '../../reference-server/src/faults.js';
import { FAULT_TABLE_BEGIN, FAULT_TABLE_END } from '../../reference-server/src/readme-markers.js';
import { CATALOGUE_SCENARIO_IDS } from '../../reference-server/src/scenario-ids.js';

function read(relative: string): string {
  return fs.readFileSync(new URL(`../../${relative}`, import.meta.url), 'utf8');
}

/** Scenario ids from the catalogue table, expanding the "a / b / c" shorthand rows. */
function catalogueIds(): string[] {
  const ids: string[] = [];
  for (const line of read('docs/ARCHITECTURE.md').split('\n')) {
    const cell = /^\| ([a-z0-9.\- /]+?) \| (?:SHALL|SHOULD|MAY|DEF)/.exec(line)?.[1];
    if (!cell) continue;
    const [first, ...rest] = cell.split(' / ');
    ids.push(first!);
    const prefix = first!.slice(0, first!.lastIndexOf('.') + 1);
    for (const suffix of rest) ids.push(prefix + suffix);
  }
  return ids;
}

test('README embeds the current fault table', () => {
  const readme = read('reference-server/README.md');
  const section = readme.slice(readme.indexOf(FAULT_TABLE_BEGIN) + FAULT_TABLE_BEGIN.length, readme.indexOf(FAULT_TABLE_END));
  expect(section.trim()).toBe(renderFaultTableMarkdown());
});

test('every scenario id the table may name is in the ARCHITECTURE catalogue, and vice versa', () => {
  expect([...CATALOGUE_SCENARIO_IDS].sort()).toEqual(catalogueIds().sort());
});

test('table integrity: unique names, faults catch something, variants catch nothing, groups name real entries', () => {
  expect(new Set(FAULT_NAMES).size).toBe(FAULT_NAMES.length);
  for (const entry of FAULT_TABLE) {
    if (entry.kind === 'fault') expect(entry.catches.length, entry.name).toBeGreaterThan(0);
    else expect(entry.catches, entry.name).toEqual([]);
  }
  for (const group of EXCLUSIVE_FAULT_GROUPS) for (const name of group) expect(FAULT_NAMES).toContain(name);
});

test('get-refused is a fault on R4 and R4B only; on R5 it plays a variant', () => {
  const entry = FAULT_TABLE.find((candidate) => candidate.name === 'get-refused')!;
  expect(roleOn(entry, 'R4')).toBe('fault');
  expect(roleOn(entry, 'R4B')).toBe('fault');
  expect(roleOn(entry, 'R5')).toBe('variant');
  expect(roleOn(FAULT_TABLE.find((candidate) => candidate.name === 'bind-json-only')!, 'R4')).toBe('variant');
});
