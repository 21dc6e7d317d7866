/** readXmlRoot / isFhirXmlResource: well-formedness by a real parser, root and namespace read. */
import { expect, test } from '@playwright/test';
import { resourceToXml } from '../../../reference-server/src/fhir-xml.js';
import { isFhirXmlResource, readXmlRoot } from '../../../runner/notifications/xml-frame.js';

test('a FHIR XML Bundle, with declaration, comment, prefix or single quotes', () => {
  expect(readXmlRoot('<?xml version="1.0"?><!-- c --><Bundle xmlns="http://hl7.org/fhir" id=\'x>y\'><a/></Bundle>')).toEqual({ root: 'Bundle', namespace: 'http://hl7.org/fhir' });
  expect(readXmlRoot('<f:Bundle xmlns:f="http://hl7.org/fhir"/>')).toEqual({ root: 'Bundle', namespace: 'http://hl7.org/fhir' });
  expect(isFhirXmlResource('<Bundle xmlns="http://hl7.org/fhir"><id value="1"/></Bundle>', 'Bundle')).toBe(true);
});

test('not FHIR XML: no namespace, another root, not well-formed, JSON', () => {
  expect(isFhirXmlResource('<Bundle/>', 'Bundle')).toBe(false);
  expect(isFhirXmlResource('<Parameters xmlns="http://hl7.org/fhir"/>', 'Bundle')).toBe(false);
  expect(readXmlRoot('<Bundle xmlns="http://hl7.org/fhir">').problem).toMatch(/^not well-formed XML: Unclosed tag 'Bundle'/);
  expect(isFhirXmlResource('{"resourceType":"Bundle"}', 'Bundle')).toBe(false);
  expect(isFhirXmlResource(undefined, 'Bundle')).toBe(false);
});

test('the reference server serializer writes what the reader accepts, escaping attribute values', () => {
  const xml = resourceToXml({ resourceType: 'Bundle', id: 'b', type: 'history', entry: [{ resource: { resourceType: 'Patient', name: [{ family: 'a"<&>b' }] } }] });
  expect(isFhirXmlResource(xml, 'Bundle')).toBe(true);
  expect(xml).toContain('<entry><resource><Patient xmlns="http://hl7.org/fhir"><name><family value="a&quot;&lt;&amp;&gt;b"/></name></Patient></resource></entry>');
});
