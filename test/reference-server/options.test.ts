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
  });
});

test('normalisation: root base path, deduplicated faults, jwt implied by the jwt-* faults', () => {
  expect(resolveOptions({ basePath: '/' }).basePath).toBe('');
  expect(resolveOptions({ faults: ['no-heartbeat', 'no-heartbeat'] }).faults).toEqual(['no-heartbeat']);
  expect(resolveOptions({ faults: ['jwt-alg-none-accepted'] }).tokenFormat).toBe('jwt');
  expect(resolveOptions({ publicUrl: 'https://x.example/fhir/' }).publicUrl).toBe('https://x.example/fhir');
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
];

for (const [name, options, message] of BAD) {
  test(`rejects at once: ${name}`, () => {
    expect(() => resolveOptions(options as ReferenceServerOptions)).toThrow(ReferenceServerOptionError);
    expect(() => resolveOptions(options as ReferenceServerOptions)).toThrow(message);
  });
}
