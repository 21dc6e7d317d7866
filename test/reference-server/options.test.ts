import { expect, test } from '@playwright/test';
import { ReferenceServerOptionError, resolveOptions, type ReferenceServerOptions } from '../../reference-server/src/options.js';

test('defaults', () => {
  expect(resolveOptions()).toEqual({
    host: '127.0.0.1',
    port: 0,
    basePath: '/fhir',
    fhirVersion: 'R5',
    tokenTtlSeconds: 60,
    tokenFormat: 'opaque',
    faults: [],
    topics: [],
    maxSubscriptions: 10_000,
  });
});

test('normalisation: root base path, deduplicated faults, jwt implied by the jwt-* faults', () => {
  expect(resolveOptions({ basePath: '/' }).basePath).toBe('');
  expect(resolveOptions({ faults: ['no-heartbeat', 'no-heartbeat'] }).faults).toEqual(['no-heartbeat']);
  expect(resolveOptions({ faults: ['jwt-alg-none-accepted'] }).tokenFormat).toBe('jwt');
  expect(resolveOptions({ publicUrl: 'https://x.example/fhir/' }).publicUrl).toBe('https://x.example/fhir');
});

test('bearerToken: one token or a list becomes the list bearerTokens, in order; absent, the resolved options have none', () => {
  expect(resolveOptions({ bearerToken: 'abc.DEF-123_~+/=' }).bearerTokens).toEqual(['abc.DEF-123_~+/=']);
  expect(resolveOptions({ bearerToken: ['second-b', 'first-a'] }).bearerTokens).toEqual(['second-b', 'first-a']);
  const eight = Array.from({ length: 8 }, (_, index) => `token-${index}`);
  expect(resolveOptions({ bearerToken: eight }).bearerTokens).toEqual(eight);
  expect('bearerTokens' in resolveOptions()).toBe(false);
  expect('bearerToken' in resolveOptions({ bearerToken: 'x' })).toBe(false);
});

test('a refused bearerToken list names positions, never a token', () => {
  const secret = 'do-not-print-me-7f3a';
  for (const bearerToken of [[secret, secret], [secret, 'a b'], ['ok-1', secret, 'ok-2', secret]]) {
    let message = '';
    try {
      resolveOptions({ bearerToken });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^bearerToken\[\d\]/);
    expect(message).not.toContain(secret);
  }
});

test('preset medplum-like expands to R4, one-hour JWTs, the Medplum base path and its fault-table entries', () => {
  const resolved = resolveOptions({ preset: 'medplum-like' });
  expect(resolved).toMatchObject({ preset: 'medplum-like', fhirVersion: 'R4', tokenFormat: 'jwt', tokenTtlSeconds: 3600, basePath: '/fhir/R4' });
  expect(resolved.faults).toEqual(expect.arrayContaining(['get-only', 'bind-json-only', 'status-resource-in-r4', 'entries-without-request', 'event-numbers-repeat', 'heartbeat-fixed-10s', 'criteria-resource-type']));
});

test('options beside a preset override its defaults and add faults; its fixed values may be restated', () => {
  const resolved = resolveOptions({ preset: 'medplum-like', tokenTtlSeconds: 5, basePath: '/fhir', fhirVersion: 'R4', faults: ['no-handshake'] });
  expect(resolved).toMatchObject({ tokenTtlSeconds: 5, basePath: '/fhir', fhirVersion: 'R4' });
  expect(resolved.faults).toContain('no-handshake');
  expect(resolved.faults).toContain('get-only');
});

const BAD: Array<[string, unknown, RegExp]> = [
  ['unknown key', { tokenTTL: 5 }, /unknown option "tokenTTL"; the options are host, port/],
  ['port text', { port: '80' }, /port must be an integer from 0 to 65535/],
  ['port range', { port: 70000 }, /port must be an integer/],
  ['host empty', { host: ' ' }, /host must be a non-empty string/],
  ['base path trailing slash', { basePath: '/fhir/' }, /basePath must look like \/fhir/],
  ['base path no slash', { basePath: 'fhir' }, /basePath must look like/],
  ['version', { fhirVersion: 'STU3' }, /fhirVersion must be one of R4, R4B, R5, got "STU3"/],
  ['ttl zero', { tokenTtlSeconds: 0 }, /tokenTtlSeconds must be a whole number of seconds from 1 to 86400/],
  ['ttl fraction', { tokenTtlSeconds: 1.5 }, /tokenTtlSeconds/],
  ['token format', { tokenFormat: 'paseto' }, /tokenFormat must be opaque or jwt/],
  ['max subscriptions zero', { maxSubscriptions: 0 }, /maxSubscriptions must be a whole number from 1 to 1000000, got 0/],
  ['max subscriptions text', { maxSubscriptions: '5' }, /maxSubscriptions must be a whole number/],
  ['faults not array', { faults: 'no-heartbeat' }, /faults must be an array/],
  ['unknown fault', { faults: ['nope'] }, /unknown fault "nope"; the faults and variants are: opdef-differs, .*backlog-replay/],
  ['contradiction', { faults: ['bind-space-only', 'bind-json-only'] }, /faults bind-space-only and bind-json-only contradict each other/],
  ['jwt fault with opaque', { tokenFormat: 'opaque', faults: ['jwt-signature-ignored'] }, /fault jwt-signature-ignored needs tokenFormat jwt/],
  ['topic shape', { topics: [{ id: 'x' }] }, /topics\[0\]\.url must be an absolute http\(s\) URL/],
  ['topic type', { topics: [{ id: 'x', url: 'http://a/b', resourceType: 'Subscription', interactions: ['create'] }] }, /resourceType must be a resource type name other than/],
  ['topic interactions', { topics: [{ id: 'x', url: 'http://a/b', resourceType: 'Encounter', interactions: ['read'] }] }, /interactions must be a non-empty array/],
  ['topic duplicate', { topics: [{ id: 'patient-create', url: 'http://a/b', resourceType: 'Encounter', interactions: ['create'] }] }, /distinct ids; "patient-create" is used twice/],
  ['public url', { publicUrl: 'ftp://x' }, /publicUrl must be an absolute http\(s\) URL/],
  ['public url query', { publicUrl: 'https://x/fhir?a=1' }, /without query or fragment/],
  ['bearer token empty', { bearerToken: '' }, /bearerToken must be 1 to 4096 visible ASCII characters without spaces/],
  ['bearer token with a space', { bearerToken: 'a b' }, /bearerToken must be 1 to 4096 visible ASCII/],
  ['bearer token not text', { bearerToken: 42 }, /bearerToken must be/],
  ['bearer token list empty', { bearerToken: [] }, /bearerToken as a list must hold 1 to 8 distinct tokens, one per identity; got 0/],
  ['bearer token list of nine', { bearerToken: Array.from({ length: 9 }, (_, index) => `token-${index}`) }, /bearerToken as a list must hold 1 to 8 distinct tokens, one per identity; got 9/],
  ['bearer token list with a duplicate', { bearerToken: ['alpha', 'beta', 'alpha'] }, /bearerToken\[2\] repeats bearerToken\[0\]: each identity needs its own token/],
  ['bearer token list with a non-string', { bearerToken: ['alpha', 7] }, /bearerToken\[1\] must be 1 to 4096 visible ASCII characters without spaces/],
  ['bearer token list with an empty token', { bearerToken: ['alpha', ''] }, /bearerToken\[1\] must be 1 to 4096/],
  ['bearer token list with a hole', { bearerToken: ['alpha', , 'gamma'] }, /bearerToken\[1\] must be 1 to 4096/],
  ['bearer token list nested', { bearerToken: [['alpha']] }, /bearerToken\[0\] must be/],
  ['bearer token an object', { bearerToken: { a: 'alpha' } }, /bearerToken must be 1 to 4096 .*or a list of 1 to 8 such tokens/],
  ['unknown preset', { preset: 'hapi-like' }, /preset must be one of medplum-like, helios-like, argonaut-like, legacy-only, got "hapi-like"/],
  ['preset with another FHIR version', { preset: 'medplum-like', fhirVersion: 'R5' }, /preset medplum-like emulates Medplum \(R4 server\), which has fhirVersion R4; fhirVersion "R5" contradicts it/],
  ['preset with opaque tokens', { preset: 'medplum-like', tokenFormat: 'opaque' }, /which has tokenFormat jwt; tokenFormat "opaque" contradicts it/],
  ['preset with a contradicting fault', { preset: 'medplum-like', faults: ['bind-space-only'] }, /faults bind-space-only and bind-json-only contradict each other.*\(bind-json-only from preset medplum-like\)/],
];

for (const [name, options, message] of BAD) {
  test(`rejects at once: ${name}`, () => {
    expect(() => resolveOptions(options as ReferenceServerOptions)).toThrow(ReferenceServerOptionError);
    expect(() => resolveOptions(options as ReferenceServerOptions)).toThrow(message);
  });
}
