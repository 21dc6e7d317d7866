/**
 * Issue 11 item 12: redaction must not depend on a secret's size. A ~1 MB token used to make the
 * redactor build one RegExp from every secret ("Regular expression too large"), crash the run and
 * print the token in the crash message.
 */
import { test, expect } from '@playwright/test';
import { mask, Redactor } from '../../runner/evidence/redact.js';
import { findSecrets } from '../../runner/evidence/find-secrets.js';
import { Transcript } from '../../runner/evidence/transcript.js';
import { redactDeep } from '../../runner/engine/redact-result.js';

const HUGE_TOKEN = `tok${'A1b2C3d4'.repeat(140_000)}`; // ≈ 1.1 MB, over FHIR's 1 MB string limit

test('a 1.1 MB token is masked wherever it appears, without a RegExp built from it', () => {
  const redactor = new Redactor();
  redactor.add(HUGE_TOKEN);
  redactor.add('short-bearer-secret');
  const body = JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'token', valueString: HUGE_TOKEN }] });
  const redacted = redactor.redactText(`bind-with-token ${HUGE_TOKEN}\n${body}\n${encodeURIComponent(HUGE_TOKEN)}`);
  expect(redacted).toBe(`bind-with-token ${mask(HUGE_TOKEN)}\n${body.replace(HUGE_TOKEN, mask(HUGE_TOKEN))}\n${mask(HUGE_TOKEN)}`);
  expect(redacted.length).toBeLessThan(1_000);
});

test('many secrets: each is found, longest first, without overlaps', () => {
  const secrets = Array.from({ length: 500 }, (_, i) => `secret-${String(i).padStart(4, '0')}-${'x'.repeat(i)}`);
  const redactor = new Redactor();
  for (const secret of secrets) redactor.add(secret);
  const text = secrets.map((s) => `<${s}>`).join('');
  expect(redactor.redactText(text)).toBe(secrets.map((s) => `<${mask(s)}>`).join(''));
});

test('leftmost match wins, then the longest form at that position; short forms only stand alone', () => {
  expect(findSecrets('xxabcdefgh', ['bcdefgh', 'abcdef'])).toEqual([{ start: 2, end: 8, form: 'abcdef' }]);
  expect(findSecrets('abcdefgh', ['abcdef', 'abcdefgh'])).toEqual([{ start: 0, end: 8, form: 'abcdefgh' }]);
  expect(findSecrets('e ex e.x (e)', ['e'])).toEqual([{ start: 0, end: 1, form: 'e' }, { start: 10, end: 11, form: 'e' }]);
  expect(findSecrets('aaaa', ['aa', 'aaaaaaaa'])).toEqual([]);
});

test('a token registered after its response was cut to the transcript limit leaves no prefix behind', () => {
  const transcript = new Transcript();
  const body = JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'token', valueString: HUGE_TOKEN }] });
  const entry = transcript.recordHttp({ startedAt: new Date().toISOString(), durationMs: 1, request: { method: 'POST', url: 'http://h/fhir/Subscription/a/$get-ws-binding-token', headers: {} }, response: { status: 200, headers: {}, body } });
  expect(entry.response?.body).toContain(HUGE_TOKEN.slice(0, 60_000)); // not yet known as a secret: recorded, cut at 64 KB
  transcript.redactor.add(HUGE_TOKEN); // the engine learns the token from the parsed answer
  const redacted = redactDeep(entry, transcript.redactor);
  expect(redacted.response?.body).toMatch(new RegExp(`"valueString":"${escape(mask(HUGE_TOKEN))}…\\[truncated \\d+ bytes\\]$`));
  expect(JSON.stringify(redacted)).not.toContain(HUGE_TOKEN.slice(0, 24));
});

test('only a real prefix of a secret is masked at a cut, not text that merely starts like it', () => {
  const redactor = new Redactor();
  redactor.add('abcdefghijklmnopqrstuvwxyz0123');
  expect(redactor.redactText('x abcdefghijklmnop…[truncated 9 bytes]')).toBe(`x ${mask('abcdefghijklmnopqrstuvwxyz0123')}…[truncated 9 bytes]`);
  expect(redactor.redactText('x abcdefghijklmnoX…[truncated 9 bytes]')).toBe('x abcdefghijklmnoX…[truncated 9 bytes]');
  expect(redactor.redactText('x abcdefghijk…[truncated 9 bytes]'), 'shorter than MIN_CUT_PREFIX: too little to tell').toBe('x abcdefghijk…[truncated 9 bytes]');
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
