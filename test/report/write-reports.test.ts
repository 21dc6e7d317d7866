import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { mask } from '../../runner/evidence/redact.js';
import { LEAK_NOTICE_FILE, writeReports } from '../../runner/report/write-reports.js';
import { sampleResults } from './fixtures/sample-results.js';

const SECRET = 'sk_live_5f2b"quoted"&<tag>/+=0123456789';

function freshDir(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'fwc-reports-')), 'nested', 'reports');
}

test.describe('writeReports', () => {
  test('writes the four reports, creating the directory', () => {
    const dir = freshDir();
    const warnings: string[] = [];
    const written = writeReports(sampleResults(), dir, { secrets: ['a-secret-never-used'], warn: (m) => warnings.push(m) });
    expect(written.files.map((f) => path.basename(f))).toEqual(['results.json', 'index.html', 'junit.xml', 'testreport.json']);
    expect(written.leaks).toEqual([]);
    expect(warnings).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8'))).toEqual(sampleResults());
    expect(JSON.parse(readFileSync(path.join(dir, 'testreport.json'), 'utf8')).resourceType).toBe('TestReport');
    expect(existsSync(path.join(dir, LEAK_NOTICE_FILE))).toBe(false);
  });

  test('a secret that reached the results is masked in every file, in every encoding, and announced', () => {
    const results = sampleResults();
    results.scenarios[4]!.transcript[0]!.kind === 'http' && (results.scenarios[4]!.transcript[0]!.request.headers.authorization = `Bearer ${SECRET}`);
    results.scenarios[4]!.reproduction = [`curl -H 'Authorization: Bearer ${SECRET}' 'http://x/?token=${encodeURIComponent(SECRET)}'`];
    results.scenarios[4]!.checks[0]!.actual = SECRET;
    const dir = freshDir();
    const warnings: string[] = [];
    const written = writeReports(results, dir, { secrets: [SECRET, ''], warn: (m) => warnings.push(m) });

    expect(written.leaks.map((l) => l.file).sort()).toEqual(['index.html', 'junit.xml', 'results.json', 'testreport.json']);
    expect(written.leaks.every((l) => l.secret === mask(SECRET))).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^SECRET LEAK: /);
    expect(warnings[0]).not.toContain(SECRET);
    expect(path.basename(written.files.at(-1)!)).toBe(LEAK_NOTICE_FILE);

    const fragments = [SECRET, 'sk_live_5f2b', JSON.stringify(SECRET).slice(1, -1), encodeURIComponent(SECRET), 'sk_live_5f2b&quot;quoted&quot;'];
    for (const name of ['results.json', 'index.html', 'junit.xml', 'testreport.json', LEAK_NOTICE_FILE]) {
      const text = readFileSync(path.join(dir, name), 'utf8');
      for (const fragment of fragments) expect(text, `${fragment} in ${name}`).not.toContain(fragment);
    }
    expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toContain(mask(SECRET));
    // results.json stays valid JSON after masking
    expect(() => JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8'))).not.toThrow();
  });
});
