/**
 * index.html's "Security observations" section and the pre-R5 protocol sentence: facts from the
 * server profile and scope.revoked-on-delete, escaped like every server-controlled text.
 */
import { expect, test } from '@playwright/test';
import { escapeHtml } from '../../runner/report/html-escape.js';
import { renderHtmlReport } from '../../runner/report/html-report.js';
import { renderSecurityObservations } from '../../runner/report/html-security.js';
import { sampleResults, XSS_PAYLOAD } from './fixtures/sample-results.js';

function section(page: string): string {
  return /<section id="security"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
}

test('each observation with its label; a deleted Subscription\'s token read from scope.revoked-on-delete', () => {
  const results = sampleResults();
  results.profile = {
    ...results.profile,
    bindingTokenRestBearer: 'accepted: GET Subscription/a with only the binding token as bearer → 200',
    bindingTokenSelfRenewal: 'yes: instance-get with only the binding token as bearer → 200 with a new token',
    tokenInUrl: 'no: websocket-url has no query string (the token travels only inside the socket)',
    tokenEntropy: '≈ 258 bits at most: 64 symbols (base64url) × 43 characters; 3 tokens seen',
    tokenLifetimeSeconds: 3600,
    tokenReuse: 'reusable',
  };
  results.scenarios = [
    ...results.scenarios.filter((s) => s.id !== 'scope.revoked-on-delete'),
    { ...results.scenarios[0]!, id: 'scope.revoked-on-delete', outcome: 'warning', reason: 'a handshake arrived' },
  ];
  const page = renderHtmlReport(results);
  expect(page).toContain('<li><a href="#security">Security observations</a></li>');
  const text = section(page);
  for (const expected of [
    '<dt>Binding token accepted as a REST bearer</dt><dd>accepted: GET Subscription/a with only the binding token as bearer → 200</dd>',
    '<dt>Binding token obtains a new binding token</dt><dd>yes: instance-get',
    '<dt>Token in a URL (query string of websocket-url)</dt><dd>no: websocket-url has no query string',
    '<dt>Token lifetime</dt><dd>3600 s</dd>',
    '<dt>Randomness of opaque tokens (estimate)</dt><dd>≈ 258 bits',
    '<dt>Token reuse</dt><dd>reusable</dd>',
    '<dt>Token of a deleted Subscription</dt><dd>still binds after the delete (scope.revoked-on-delete warns: a handshake arrived)</dd>',
  ]) expect(text).toContain(expected);
});

test('nothing observed: every row says so; server text is escaped', () => {
  const results = sampleResults();
  results.profile = { tokenInUrl: XSS_PAYLOAD };
  results.scenarios = results.scenarios.filter((s) => s.id !== 'scope.revoked-on-delete');
  const text = renderSecurityObservations(results).value;
  expect(text).toContain('<dt>Binding token accepted as a REST bearer</dt><dd>not observed</dd>');
  expect(text).toContain('<dt>Token of a deleted Subscription</dt><dd>not observed</dd>');
  expect(text).not.toContain(XSS_PAYLOAD);
  expect(text).toContain(escapeHtml(XSS_PAYLOAD));
});

test('the pre-R5 protocol: one sentence under the verdict, escaped', () => {
  const results = sampleResults();
  results.profile = { ...results.profile, legacyProtocol: `speaks the pre-R5 websocket protocol (\`bind <id>\`, at ws://h/ws${XSS_PAYLOAD}) but does not implement $get-ws-binding-token` };
  const page = renderHtmlReport(results);
  expect(page).toContain('<p class="legacy-protocol">The server speaks the pre-R5 websocket protocol (`bind &lt;id&gt;`, at ws://h/ws');
  expect(page).not.toContain(XSS_PAYLOAD);
});

test('matrix.html: a Security observations table, one column per server, with index.html\'s rows; the profile table keeps only choices', async () => {
  const { buildMatrix } = await import('../../runner/report/matrix.js');
  const { renderMatrixHtml } = await import('../../runner/report/html-matrix.js');
  const medplum = sampleResults();
  medplum.profile = { ...medplum.profile, bindingTokenRestBearer: 'accepted: GET Subscription/a → 200', tokenInUrl: 'no: websocket-url has no query string', tokenLifetimeSeconds: 3600 };
  medplum.scenarios = [
    ...medplum.scenarios.filter((s) => s.id !== 'scope.revoked-on-delete'),
    { ...medplum.scenarios[0]!, id: 'scope.revoked-on-delete', outcome: 'warning', reason: 'a handshake arrived' },
  ];
  const hapi = sampleResults();
  hapi.profile = { legacyProtocol: 'speaks the pre-R5 websocket protocol (`bind <id>`, at ws://h/websocket) but does not implement $get-ws-binding-token' };
  hapi.scenarios = hapi.scenarios.filter((s) => s.id !== 'scope.revoked-on-delete');
  const page = renderMatrixHtml(buildMatrix([{ source: 'medplum.json', results: medplum }, { source: 'hapi.json', results: hapi }]));
  const security = /<section id="security"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
  const profile = /<section id="profile"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
  expect(security).toContain('<h2 id="security-title">Security observations</h2>');
  expect(security).toContain('<tr><th scope="row">Binding token accepted as a REST bearer</th><td>accepted: GET Subscription/a → 200</td><td>not observed</td></tr>');
  expect(security).toContain('<tr><th scope="row">Token in a URL (query string of websocket-url)</th><td>no: websocket-url has no query string</td><td>not observed</td></tr>');
  expect(security).toContain('<tr><th scope="row">Token lifetime</th><td>3600 s</td><td>not observed</td></tr>');
  expect(security).toContain('<tr><th scope="row">Token of a deleted Subscription</th><td>still binds after the delete (scope.revoked-on-delete warns: a handshake arrived)</td><td>not observed</td></tr>');
  // a security-only fact is shown once; the lifetime is also a choice of the server's, so the profile keeps it
  expect(profile).not.toContain('REST bearer');
  expect(profile).toContain('<th scope="row">Token lifetime</th><td>3600 s</td>');
  expect(profile).toContain('<th scope="row">Pre-R5 websocket protocol</th><td>not observed</td><td>speaks the pre-R5 websocket protocol (`bind &lt;id&gt;`');
});

test('index.html: a security-only fact appears in Security observations, not again in the server profile', () => {
  const results = sampleResults();
  results.profile = { ...results.profile, tokenEntropy: '≈ 122 bits: UUID v4', tokenLifetimeSeconds: 30 };
  const page = renderHtmlReport(results);
  const profile = /<section id="profile"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
  expect(section(page)).toContain('<dt>Randomness of opaque tokens (estimate)</dt><dd>≈ 122 bits: UUID v4</dd>');
  expect(profile).not.toContain('122 bits');
  expect(profile).toContain('<dt>Token lifetime</dt><dd>30 s</dd>');
});
