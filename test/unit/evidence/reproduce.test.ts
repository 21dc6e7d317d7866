import { execFileSync } from 'node:child_process';
import { test, expect } from '@playwright/test';
import { Redactor, mask } from '../../../runner/evidence/redact.js';
import { reproductionFor, reproductionForSocket, shellQuote } from '../../../runner/evidence/reproduce.js';
import { Transcript } from '../../../runner/evidence/transcript.js';
import { namedCredentials } from '../../../runner/engine/credential-names.js';
import type { Target } from '../../../runner/engine/target.js';

/** What a POSIX shell makes of one word, with TOKEN set: proves the quoting, not just its look. */
function shellExpands(word: string, env: Record<string, string> = {}): string {
  return execFileSync('sh', ['-c', `printf '%s' ${word}`], { env: { PATH: process.env.PATH, ...env } }).toString();
}

test('shellQuote survives quotes, dollars, backslashes and newlines', () => {
  const nasty = `it's "$HOME" \\ \`x\`\nline2`;
  expect(shellExpands(shellQuote(nasty))).toBe(nasty);
});

test('curl line: method, url, headers, body; Authorization becomes $TOKEN', () => {
  const transcript = new Transcript();
  const entry = transcript.recordHttp({
    startedAt: new Date().toISOString(),
    durationMs: 5,
    request: {
      method: 'POST',
      url: "http://127.0.0.1:8080/fhir/Subscription/a/$get-ws-binding-token",
      headers: { Authorization: 'Bearer access-token-42', 'Content-Type': 'application/fhir+json', 'content-length': '2' },
      body: `{"resourceType":"Parameters","x":"it's"}`,
    },
  });
  const line = reproductionFor(entry, { knownMasks: transcript.redactor.masks() });
  const [legend, command] = line.split('\n');
  expect(legend).toBe(`# $TOKEN: the secret shown in the transcript as ${mask('access-token-42')}`);
  expect(command).toBe(
    `curl -sS -i -X 'POST' 'http://127.0.0.1:8080/fhir/Subscription/a/$get-ws-binding-token'` +
      ` -H 'Authorization: Bearer '"$TOKEN" -H 'Content-Type: application/fhir+json'` +
      ` --data-binary '{"resourceType":"Parameters","x":"it'\\''s"}'`,
  );
  expect(command).not.toContain('access-token-42');
  expect(shellExpands(`'Authorization: Bearer '"$TOKEN"`, { TOKEN: 'real' })).toBe('Authorization: Bearer real');
});

/** An HTTP exchange recorded by a transcript that already knows binding-token-abcdef as a secret. */
function recordWithBindingToken(request: { method: string; url: string; headers: Record<string, string>; body?: string }) {
  const redactor = new Redactor();
  redactor.add('binding-token-abcdef');
  return new Transcript({ redactor }).recordHttp({ startedAt: new Date().toISOString(), durationMs: 5, request });
}

test('the same secret in header and body maps to one placeholder; a second secret to TOKEN_2', () => {
  const entry = recordWithBindingToken({
    method: 'POST',
    url: 'http://h/x?t=binding-token-abcdef',
    headers: { Authorization: 'Bearer access-token-42' },
    body: 'access-token-42',
  });
  const line = reproductionFor(entry);
  expect(line).toContain(`'http://h/x?t='"$TOKEN"`);
  expect(line).toContain(`-H 'Authorization: Bearer '"$TOKEN_2"`);
  expect(line).toContain(`--data-binary "$TOKEN_2"`);
});

test('named credentials: the second identity’s token gets its own variable and legend; others still count from TOKEN', () => {
  const entry = recordWithBindingToken({ method: 'GET', url: 'http://h/x?t=binding-token-abcdef', headers: { Authorization: 'Bearer other-token-9876' } });
  const named = new Map([[mask('other-token-9876'), { variable: 'OTHER_IDENTITY_TOKEN', description: "the second identity's credential (auth.otherIdentity)" }]]);
  const line = reproductionFor(entry, { named });
  expect(line).toContain(`-H 'Authorization: Bearer '"$OTHER_IDENTITY_TOKEN"`);
  expect(line).toContain(`'http://h/x?t='"$TOKEN"`);
  expect(line).toContain(`# $OTHER_IDENTITY_TOKEN: the second identity's credential (auth.otherIdentity), shown in the transcript as ${mask('other-token-9876')}`);
  expect(line).not.toContain('other-token-9876');
});

test('a truncated request body is flagged in a comment', () => {
  const transcript = new Transcript({ maxTextBytes: 4 });
  const entry = transcript.recordHttp({
    startedAt: new Date().toISOString(),
    durationMs: 1,
    request: { method: 'POST', url: 'http://h/', headers: {}, body: 'abcdefgh' },
  });
  expect(reproductionFor(entry)).toContain('# the request body was truncated in the transcript');
});

test('websocat line: frames piped by printf; multi-line frames are NUL-separated', () => {
  expect(reproductionForSocket('ws://h/ws', [])).toBe(`websocat 'ws://h/ws'`);
  expect(reproductionForSocket('ws://h/ws', ['a b', 'c'])).toBe(`printf '%s\\n' 'a b' 'c' | websocat -n 'ws://h/ws'`);
  expect(reproductionForSocket('ws://h/ws', ['{\n"type":"bind-with-token"\n}'])).toBe(
    `printf '%s\\0' '{\n"type":"bind-with-token"\n}' | websocat -n -0 'ws://h/ws'`,
  );
});

test('a token in the socket url query is a placeholder too', () => {
  const redactor = new Redactor();
  redactor.add('query-token-123456');
  const line = reproductionForSocket('ws://h/ws?token=query-token-123456', [], { redactor });
  expect(line.split('\n')[1]).toBe(`websocat 'ws://h/ws?token='"$TOKEN"`);
});

test('every credential header is a variable, named after its identity and header; a short API key never appears', () => {
  const transcript = new Transcript();
  const entry = transcript.recordHttp({
    startedAt: new Date().toISOString(),
    durationMs: 1,
    request: { method: 'GET', url: 'http://h/fhir/metadata', headers: { Authorization: 'Bearer main-token-12345', 'X-Api-Key': 'k7-abcd', 'X-Tenant': 'acme' } },
  });
  const target = { authHeaders: { authorization: 'Bearer main-token-12345', 'X-Api-Key': 'k7-abcd', 'X-Tenant': 'acme' } } as unknown as Target;
  const line = reproductionFor(entry, { knownMasks: transcript.redactor.masks(), named: namedCredentials(target) });
  expect(line).toContain(`-H 'Authorization: Bearer '"$FHIR_TOKEN"`);
  expect(line).toContain(`-H 'X-Api-Key: '"$FHIR_X_API_KEY"`);
  expect(line).toContain(`# $FHIR_X_API_KEY: the run's X-Api-Key header (auth), shown in the transcript as ${mask('k7-abcd')}`);
  expect(line).toContain(`-H 'X-Tenant: acme'`);
  expect(line).not.toContain('k7-abcd');
});
