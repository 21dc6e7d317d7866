/**
 * The docs a user reads (every *.md in the repository, and the scenario files whose descriptions the
 * reports show) cite only what the repository holds: relative links resolve inside it, and nothing
 * points at the files of the machine the project was written on (a shared spec digest, /work/…). A statement the code contradicts is a bug too: the reference
 * server serves TLS (`--tls`), so no doc says "No TLS".
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { PROJECT_ROOT } from '../../runner/project-root.js';

const docs = execFileSync('git', ['ls-files', '*.md'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
/** The scenario files too: their titles and descriptions are what the reports show. */
const scenarioFiles = execFileSync('git', ['ls-files', 'suites/*.yaml'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);

test('every relative link in the docs resolves to a file inside the repository', () => {
  const broken: string[] = [];
  for (const doc of docs) {
    const text = readFileSync(path.join(PROJECT_ROOT, doc), 'utf8');
    for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const resolved = path.resolve(PROJECT_ROOT, path.dirname(doc), target!);
      if (!resolved.startsWith(`${PROJECT_ROOT}${path.sep}`) || !existsSync(resolved)) broken.push(`${doc}: ${target}`);
    }
  }
  expect(broken).toEqual([]);
});

test('no doc cites files outside the repository or says the reference server has no TLS', () => {
  const outside = /\/work\/|\.\.\/shared\/|\bDIGEST\b|\bNo TLS\b/;
  const found = [...docs, ...scenarioFiles].flatMap((doc) =>
    readFileSync(path.join(PROJECT_ROOT, doc), 'utf8').split('\n').flatMap((line, i) => (outside.test(line) ? [`${doc}:${i + 1}: ${line.trim()}`] : [])));
  expect(found).toEqual([]);
});
