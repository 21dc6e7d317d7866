import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { applyBaseline } from '../../runner/report/baseline.js';
import { anchorId, escapeHtml, html, safeHref } from '../../runner/report/html-escape.js';
import { renderHtmlReport } from '../../runner/report/html-report.js';
import { sampleResults, XSS_PAYLOAD } from './fixtures/sample-results.js';

test.describe('index.html (rendered text)', () => {
  test('server-controlled text never appears unescaped', () => {
    const page = renderHtmlReport(sampleResults());
    expect(page).not.toContain(XSS_PAYLOAD);
    expect(page).not.toContain('<script>window.__xss');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain(escapeHtml(XSS_PAYLOAD));
    expect(page).toContain('Reference &lt;Server&gt; 0.1.0');
    expect(page.match(/<script>/g)).toHaveLength(1); // only the report's own script
  });

  test('the Content-Security-Policy allows exactly the report\'s own style and script, and no network', () => {
    const page = renderHtmlReport(sampleResults());
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1]!.replace(/&#39;/g, "'");
    const script = /<script>([\s\S]*)<\/script>/.exec(page)![1]!;
    const style = /<style>([\s\S]*)<\/style>/.exec(page)![1]!;
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(csp).toBe(`default-src 'none'; style-src ${hash(style)}; script-src ${hash(script)}; img-src 'none'; base-uri 'none'; form-action 'none'`);
  });

  test('scenarios come before the requirement table, chapters in suite order whatever the finishing order', () => {
    const results = sampleResults();
    const page = renderHtmlReport({ ...results, scenarios: [...results.scenarios].reverse() });
    expect(page.indexOf('id="scenarios"')).toBeLessThan(page.indexOf('id="requirements"'));
    const chapters = [...page.matchAll(/<section class="chapter" data-chapter="([^"]+)"/g)].map((m) => m[1]);
    const inSuite = [...new Set([...results.scenarios].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0)).map((s) => s.chapter ?? 'other'))];
    expect(chapters).toEqual(inSuite);
  });

  test('each check is shown once, under the step that made it, with its note; steps not run are listed', () => {
    const results = sampleResults();
    const blocked = results.scenarios.find((s) => s.id === 'expiry.binds-late-in-life')!;
    const note = "the bind was sent 0.4 s after the token's stated expiration (bind 2025-05-01T10:00:10.400Z, expiration 2025-05-01T10:00:10Z)";
    blocked.steps![1]!.checks = blocked.steps![1]!.checks.map((c) => ({ ...c, note }));
    const page = renderHtmlReport(results);
    const body = page.slice(page.indexOf('data-id="expiry.binds-late-in-life"'));
    const tree = body.slice(body.indexOf('<ol class="steps plain">'), body.indexOf('</ol>'));
    const items = tree.split('<li class="step ').slice(1);
    expect(items.map((li) => /^step-([a-z-]+)/.exec(li)![1])).toEqual(['passed', 'blocked', 'not-run']);
    expect(items[1]).toContain('<tr class="check check-blocked">');
    expect(items[1]).toContain(`<p class="note">${escapeHtml(note)}</p>`);
    expect(items[0]).not.toContain('<table');
    // the outcome names the deciding check; its values are shown once, in its row
    expect(body.slice(0, body.indexOf('</details>')).match(/0 matching; bound 0\.4 s after/g)).toHaveLength(1);
    expect(body).toContain('<span class="reason">blocked by the harness (timing or setup of the run, not the server): frames on socket [OP-12 DEF], step 2 (expected and observed in the step below)</span>');
  });

  test('a scenario blocked by another is listed under "needs attention" with its judge only, not the judge\'s failure again', () => {
    const results = sampleResults();
    const scenario = results.scenarios.find((s) => s.id === 'scope.revoked-on-delete')!;
    Object.assign(scenario, { outcome: 'blocked', blockedBy: 'binding.events.full-resource', reason: 'blocked by binding.events.full-resource: the notification names its focus …' });
    const page = renderHtmlReport(results);
    const attention = page.slice(page.indexOf('<ul class="attention">'), page.indexOf('</ul>', page.indexOf('<ul class="attention">')));
    expect(attention).toContain('<code>scope.revoked-on-delete</code></a> blocked by <a href="#scenario-binding.events.full-resource"><code>binding.events.full-resource</code></a> (not judged)');
    expect(attention).not.toContain('the notification names its focus …');
  });

  test('links only to http(s) URLs', () => {
    const page = renderHtmlReport(sampleResults());
    expect(page).not.toContain('javascript:');
    expect(page).toContain('<a href="https://hl7.org/fhir/R5/http.html" rel="noreferrer">FW-04</a>');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,x')).toBeUndefined();
    expect(safeHref('not a url')).toBeUndefined();
  });

  test('shows header facts, every scenario, the untested requirement and the profile', () => {
    const results = sampleResults();
    const page = renderHtmlReport(results);
    for (const text of ['http://127.0.0.1:8080/fhir', 'R5', 'fhir-ws-conformance 0.1.0', 'npx fhir-ws-conformance --server', '2025-05-01T10:00:00.000Z', 'Verdict: <strong>✖ Non-conformant</strong> at level SHALL']) {
      expect(page).toContain(text);
    }
    for (const scenario of results.scenarios) expect(page).toContain(`data-id="${scenario.id}"`);
    expect(page).toContain('Needs two authorization contexts; the suite runs as one caller.');
    expect(page).toContain('<dt>Bind message forms accepted</dt><dd>space, json</dd>');
    expect(page).toContain('<dt title="heartbeatIntervalsMs">Heartbeat intervals ms</dt><dd>1001, 998</dd>');
    expect(page).toContain('<dt>Token lifetime</dt><dd>300 s</dd>');
  });

  test('verdict reasons are shown only when they explain the recorded verdict', () => {
    expect(renderHtmlReport(sampleResults())).toContain('<ul class="verdict-reasons"><li>2 scenarios failed a SHALL/DEF check.</li></ul>');
    expect(renderHtmlReport({ ...sampleResults(), verdict: 'conformant' })).not.toContain('verdict-reasons');
  });

  test('a scenario without a chapter is grouped and filtered as "other"', () => {
    const results = sampleResults();
    delete results.scenarios[0]!.chapter;
    const page = renderHtmlReport(results);
    expect(page).toContain('data-chapter="other" aria-label="Chapter other"');
    expect(page).toMatch(/data-id="discovery.metadata.available"[^>]*data-chapter="other"/);
    expect(page).toContain('<option value="other">other</option>');
  });

  test('within a chapter, failed scenarios come first', () => {
    const page = renderHtmlReport(sampleResults());
    expect(page.indexOf('data-id="invoke.errors.malformed-body"')).toBeLessThan(page.indexOf('data-id="invoke.instance.post-parameters"'));
    expect(page.indexOf('data-id="discovery.capability.operation-listed"')).toBeLessThan(page.indexOf('data-id="discovery.metadata.available"'));
  });

  test('a baseline shows as its own section and an Accepted count', () => {
    const baseline = { file: 'ci/baseline.yaml', entries: [{ scenario: 'invoke.errors.malformed-body', reason: 'ticket <42>', location: { file: 'b', line: 1, column: 1 } }] };
    const page = renderHtmlReport(applyBaseline(sampleResults(), baseline, '2025-05-01'));
    expect(page).toContain('<section id="baseline"');
    expect(page).toContain('<div class="tile outcome-accepted" data-summary="accepted"><dt>☑ Accepted</dt><dd>1</dd></div>');
    expect(page).toContain('<dt>Accepted by baseline</dt><dd>ticket &lt;42&gt;</dd>');
  });

  test('the html tag escapes values and passes nested fragments through', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${['a', '&']}${undefined}${false}${0}</p>`.value).toBe('<p title="&quot;x&quot;"><b>&lt;i&gt;</b>a&amp;0</p>');
    expect(escapeHtml('tab\tnl\nnul\u0000')).toBe('tab\tnl\nnul\\u0000');
    expect(anchorId('scenario', 'a.b_c/d')).toBe('scenario-a.b_5f_c_2f_d');
    expect(anchorId('s', 'a/')).not.toBe(anchorId('s', 'a_2f_'));
  });
});
