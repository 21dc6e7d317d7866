import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  CANONICAL_IDS,
  CANONICAL_URLS,
  canonicalId,
  canonicalOperationDefinition,
  canonicalUrl,
} from '../../../runner/validator/index.js';
import { convertOperationDefinitionXml, renderJson } from '../../../scripts/convert-operation-definition.js';

const R5_XML = new URL('../../../runner/validator/definitions/source/r5-operation-subscription-get-ws-binding-token.xml', import.meta.url);
const R5_JSON = new URL('../../../runner/validator/definitions/r5-get-ws-binding-token.json', import.meta.url);

function parameterSummary(definition: ReturnType<typeof canonicalOperationDefinition>): string[] {
  return (definition.parameter ?? []).map((p) => `${p.use} ${p.name} ${p.min}..${p.max} ${p.type}`);
}

test('R5 canonical: facts of the published definition', () => {
  const r5 = canonicalOperationDefinition('R5');
  expect(r5).toMatchObject({
    resourceType: 'OperationDefinition',
    id: 'Subscription-get-ws-binding-token',
    url: 'http://hl7.org/fhir/OperationDefinition/Subscription-get-ws-binding-token',
    name: 'GetWsBindingToken',
    status: 'draft',
    kind: 'operation',
    affectsState: true,
    code: 'get-ws-binding-token',
    resource: ['Subscription'],
    system: false,
    type: true,
    instance: true,
  });
  expect(r5.parameter?.[0]?.scope).toEqual(['type']);
  expect(parameterSummary(r5)).toEqual([
    'in id 0..* id',
    'out token 1..1 string',
    'out expiration 1..1 dateTime',
    'out subscription 0..* string',
    'out websocket-url 1..1 url',
  ]);
});

test('backport canonical: facts of the IG, same parameters, no scope', () => {
  for (const version of ['R4', 'R4B'] as const) {
    const backport = canonicalOperationDefinition(version);
    expect(backport).toMatchObject({
      id: 'backport-subscription-get-ws-binding-token',
      url: 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-get-ws-binding-token',
      name: 'R5SubscriptionGetWsBindingToken',
      version: '1.1.0',
      status: 'active',
      affectsState: false,
      resource: ['Subscription'],
      system: false,
      type: true,
      instance: true,
    });
    expect(parameterSummary(backport)).toEqual(parameterSummary(canonicalOperationDefinition('R5')));
    expect(backport.parameter?.some((p) => 'scope' in p)).toBe(false);
  }
});

test('definitions are loaded once and deep-frozen', () => {
  const first = canonicalOperationDefinition('R4');
  expect(canonicalOperationDefinition('R4B')).toBe(first);
  expect(canonicalOperationDefinition('R5')).toBe(canonicalOperationDefinition('R5'));
  expect(Object.isFrozen(first)).toBe(true);
  expect(Object.isFrozen(first.parameter)).toBe(true);
  expect(Object.isFrozen(first.parameter?.[0])).toBe(true);
  expect(() => {
    (first as { code: string }).code = 'changed';
  }).toThrow(TypeError);
});

test('canonical urls and ids by version', () => {
  expect(canonicalUrl('R5')).toBe(CANONICAL_URLS.R5);
  expect(canonicalUrl('R4')).toBe(CANONICAL_URLS.backport);
  expect(canonicalId('R4B')).toBe(CANONICAL_IDS.backport);
  expect(canonicalId('R5')).toBe(canonicalOperationDefinition('R5').id);
  expect(canonicalUrl('R4B')).toBe(canonicalOperationDefinition('R4B').url);
});

test('the committed R5 JSON is exactly what the converter makes from HL7\'s XML', () => {
  const converted = renderJson(convertOperationDefinitionXml(fs.readFileSync(R5_XML, 'utf8')));
  expect(converted).toBe(fs.readFileSync(R5_JSON, 'utf8'));
});

test('the converter keeps the narrative div as a string and types booleans and integers', () => {
  const json = convertOperationDefinitionXml(fs.readFileSync(R5_XML, 'utf8')) as Record<string, any>;
  expect(typeof json.text.div).toBe('string');
  expect(json.text.div).toMatch(/^<div xmlns="http:\/\/www.w3.org\/1999\/xhtml">[\s\S]*<\/div>$/);
  expect(json.extension[0]).toEqual({ url: 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fmm', valueInteger: 2 });
  expect(json.experimental).toBe(false);
  expect(json.parameter[1].min).toBe(1);
  expect(json.parameter[1].max).toBe('1');
});

test('the converter refuses XML it cannot read, with a reason', () => {
  expect(() => convertOperationDefinitionXml('<OperationDefinition xmlns="http://hl7.org/fhir"><id value="x"/>')).toThrow(/unclosed/);
  expect(() => convertOperationDefinitionXml('<OperationDefinition><id value="x"/></OperationDefinition>')).toThrow(/FHIR namespace/);
  expect(() =>
    convertOperationDefinitionXml('<OperationDefinition xmlns="http://hl7.org/fhir"><id value="x"/><id value="y"/></OperationDefinition>'),
  ).toThrow(/repeats but is not declared as repeating/);
  expect(() =>
    convertOperationDefinitionXml('<OperationDefinition xmlns="http://hl7.org/fhir"><system value="yes"/></OperationDefinition>'),
  ).toThrow(/expected true or false/);
  expect(() => convertOperationDefinitionXml('<a xmlns="http://hl7.org/fhir"></b>')).toThrow(/expected <\/a>/);
});

test('the converter decodes entities in attribute values', () => {
  const json = convertOperationDefinitionXml(
    '<OperationDefinition xmlns="http://hl7.org/fhir"><description value="a &amp; b &lt;c&gt; &#233;"/></OperationDefinition>',
  );
  expect(json.description).toBe('a & b <c> é');
});
