/**
 * The suite the CLI hands to Playwright (runner/suite/suite-cache.ts) must be the suite the YAML
 * gives: every scenario, step and location survives the JSON round trip, and the hand-off folder
 * is removed after the run.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { loadProjectSuite } from '../../../runner/suite/project-suite.js';
import { readSuiteCache, SUITE_CACHE_ENV, writeSuiteCache } from '../../../runner/suite/suite-cache.js';

test('the cached suite equals the loaded one, field for field', () => {
  const loaded = loadProjectSuite();
  const cache = writeSuiteCache(loaded);
  try {
    const cached = readSuiteCache({ [SUITE_CACHE_ENV]: cache.file });
    // a RegExp, Map or Date in the model, or an undefined array item, would not survive JSON and fail here
    expect(cached).toEqual(loaded);
    expect(cached!.flatMap((f) => f.scenarios).length).toBe(loaded.flatMap((f) => f.scenarios).length);
  } finally {
    cache.remove();
  }
  expect(existsSync(path.dirname(cache.file))).toBe(false);
});

test('without the environment variable there is no cache: the YAML is loaded', () => {
  expect(readSuiteCache({})).toBeUndefined();
});

test('a cache variable pointing nowhere (left in a shell) is a config error that says to unset it', () => {
  expect(() => readSuiteCache({ [SUITE_CACHE_ENV]: '/nonexistent/suite.json' })).toThrow(/FWC_SUITE_CACHE names \/nonexistent\/suite\.json, which cannot be read .*unset FWC_SUITE_CACHE/);
});
