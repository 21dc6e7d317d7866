import { createHash } from 'node:crypto';
import { test, expect } from '@playwright/test';
import { Redactor, mask } from '../../../runner/evidence/redact.js';
import { reproductionForSocket } from '../../../runner/evidence/reproduce.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwYXRpZW50LTEiLCJzdWJzY3JpcHRpb24iOiJhYmMifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';
const sha8 = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);

test('mask shows the first 4 characters and 8 hex digits of the SHA-256; under 16 characters, no prefix', () => {
  expect(mask(TOKEN)).toBe(`eyJh…${sha8(TOKEN)}`);
  expect(mask('abc12')).toBe(`…${sha8('abc12')}`);
  expect(mask('k7-abcd')).toBe(`…${sha8('k7-abcd')}`); // a 7-character API key: 4 shown characters would give it away
  expect(mask('0123456789abcde')).toBe(`…${sha8('0123456789abcde')}`);
  expect(mask('0123456789abcdef')).toBe(`0123…${sha8('0123456789abcdef')}`);
});

test('credential headers are masked whatever their length, X-Api-Key included; other headers are not', () => {
  const redactor = new Redactor();
  const headers = redactor.redactHeaders({ 'X-Api-Key': 'k7-abcd', 'Ocp-Apim-Subscription-Key': 'k2', 'X-Tenant': 'acme', 'WWW-Authenticate': 'Bearer realm="fhir"' });
  expect(headers).toEqual({ 'X-Api-Key': `…${sha8('k7-abcd')}`, 'Ocp-Apim-Subscription-Key': `…${sha8('k2')}`, 'X-Tenant': 'acme', 'WWW-Authenticate': 'Bearer realm="fhir"' });
  expect(redactor.redactText('{"echo":"k7-abcd"}'), 'registered, so caught elsewhere too').toBe(`{"echo":"…${sha8('k7-abcd')}"}`);
});

test('a token inside a JSON body is masked, the rest of the text kept', () => {
  const redactor = new Redactor();
  redactor.add(TOKEN);
  const body = JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'token', valueString: TOKEN }] });
  const redacted = redactor.redactText(body);
  expect(redacted).not.toContain(TOKEN);
  expect(redacted).toContain(`"valueString":"${mask(TOKEN)}"`);
  expect(redacted).toContain('"resourceType":"Parameters"');
});

test('a token with characters JSON escapes is caught in its escaped form', () => {
  const redactor = new Redactor();
  const secret = 'abc/def"ghi\\jkl';
  redactor.add(secret);
  const json = JSON.stringify({ token: secret });
  expect(redactor.redactText(json)).toBe(`{"token":"${mask(secret)}"}`);
  expect(redactor.redactText('{"token":"abc\\/def\\"ghi\\\\jkl"}')).toBe(`{"token":"${mask(secret)}"}`);
});

test('a token in a query string is masked, percent-encoded too (upper and lower case escapes)', () => {
  const redactor = new Redactor();
  const secret = 'ab+cd/ef==';
  redactor.add(secret);
  const encoded = encodeURIComponent(secret);
  expect(encoded).toBe('ab%2Bcd%2Fef%3D%3D');
  expect(redactor.redactText(`wss://h/ws?token=${encoded}&x=1`)).toBe(`wss://h/ws?token=${mask(secret)}&x=1`);
  expect(redactor.redactText(`wss://h/ws?token=${encoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())}`)).toBe(
    `wss://h/ws?token=${mask(secret)}`,
  );
  expect(redactor.redactText(`/x?token=${secret}`)).toBe(`/x?token=${mask(secret)}`);
});

test('the payload and signature of a JWT are masked when re-used in a forged token', () => {
  const redactor = new Redactor();
  redactor.add(TOKEN);
  const [, payload, signature] = TOKEN.split('.');
  const forged = `eyJhbGciOiJub25lIn0.${payload}.`;
  const redacted = redactor.redactText(`bind-with-token ${forged}`);
  expect(redacted).not.toContain(payload);
  expect(redacted).toBe(`bind-with-token eyJhbGciOiJub25lIn0.${mask(payload)}.`);
  expect(redactor.redactText(`sig=${signature}`)).toBe(`sig=${mask(signature)}`);
});

test('longest secret first: a forged extension of a token is masked whole, not as token + tail', () => {
  const redactor = new Redactor();
  redactor.add('0123456789abcdef');
  redactor.add('0123456789abcdefX');
  expect(redactor.redactText('t=0123456789abcdefX;')).toBe(`t=${mask('0123456789abcdefX')};`);
  expect(redactor.redactText('t=0123456789abcdef;')).toBe(`t=${mask('0123456789abcdef')};`);
});

test('a short secret is masked where it stands alone, never inside other words', () => {
  const redactor = new Redactor();
  redactor.add('e');
  expect(redactor.redactText('bind-with-token e')).toBe(`bind-with-token ${mask('e')}`);
  expect(redactor.redactText('{"token":"e"}')).toBe(`{"token":"${mask('e')}"}`);
  expect(redactor.redactText('handshake received')).toBe('handshake received');
});

test('Authorization is masked even when not registered, keeping the scheme; then caught elsewhere', () => {
  const redactor = new Redactor();
  const headers = redactor.redactHeaders({ Authorization: 'Bearer s3cr3t-access-token', Accept: 'application/fhir+json' });
  expect(headers).toEqual({ Authorization: `Bearer ${mask('s3cr3t-access-token')}`, Accept: 'application/fhir+json' });
  expect(redactor.redactText('token s3cr3t-access-token leaked')).toBe(`token ${mask('s3cr3t-access-token')} leaked`);
  expect(redactor.redactHeaders({ authorization: 'opaque-credential' })).toEqual({ authorization: mask('opaque-credential') });
});

test('cookie values are masked, names and Set-Cookie attributes kept', () => {
  const redactor = new Redactor();
  const headers = redactor.redactHeaders({
    cookie: 'session=abcdef123456; theme=dark',
    'set-cookie': 'sid=zyxwvu987654; Path=/; HttpOnly\nother=qwerty12345; Max-Age=60',
  });
  expect(headers.cookie).toBe(`session=${mask('abcdef123456')}; theme=${mask('dark')}`);
  expect(headers['set-cookie']).toBe(`sid=${mask('zyxwvu987654')}; Path=/; HttpOnly\nother=${mask('qwerty12345')}; Max-Age=60`);
});

test('other headers are redacted as text', () => {
  const redactor = new Redactor();
  redactor.add(TOKEN);
  expect(redactor.redactHeaders({ location: `wss://h/ws?token=${TOKEN}` })).toEqual({ location: `wss://h/ws?token=${mask(TOKEN)}` });
});

test('a token in a websocat reproduction line is shown as a placeholder', () => {
  const redactor = new Redactor();
  redactor.add(TOKEN);
  const line = reproductionForSocket('ws://127.0.0.1:1/ws', [`bind-with-token ${TOKEN}`], { redactor });
  expect(line).not.toContain(TOKEN);
  expect(line).toContain(`# $TOKEN: the secret shown in the transcript as ${mask(TOKEN)}`);
  expect(line).toContain(`printf '%s\\n' 'bind-with-token '"$TOKEN" | websocat -n 'ws://127.0.0.1:1/ws'`);
});

test('--no-redact: a disabled redactor returns everything unchanged', () => {
  const redactor = new Redactor({ enabled: false });
  redactor.add(TOKEN);
  expect(redactor.redactText(`x ${TOKEN}`)).toBe(`x ${TOKEN}`);
  expect(redactor.redactHeaders({ Authorization: `Bearer ${TOKEN}` })).toEqual({ Authorization: `Bearer ${TOKEN}` });
});

test('an empty secret is ignored', () => {
  const redactor = new Redactor();
  redactor.add('');
  expect(redactor.redactText('nothing to hide')).toBe('nothing to hide');
  expect(redactor.masks()).toEqual([]);
});
