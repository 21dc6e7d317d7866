/**
 * Hostile XML frames (a server may send anything to an XML Subscription's socket): deep nesting,
 * an entity expansion bomb, a very wide document, garbage. The reader never throws and never
 * expands entities.
 */
import { expect, test } from '@playwright/test';
import { readXmlRoot } from '../../runner/notifications/xml-frame.js';

test('deep nesting (100,000 levels) is read without exhausting the stack', () => {
  const deep = `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`;
  expect(readXmlRoot(deep).root).toBe('a');
  expect(readXmlRoot(`${'<a>'.repeat(100_000)}`).problem).toMatch(/^not well-formed XML/);
});

test('an entity bomb is not expanded', () => {
  const entities = '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">';
  const bomb = `<?xml version="1.0"?><!DOCTYPE l [${entities}]><Bundle xmlns="http://hl7.org/fhir"><id value="&c;"/></Bundle>`;
  expect(readXmlRoot(bomb)).toEqual({ root: 'Bundle', namespace: 'http://hl7.org/fhir' });
});

test('a 2 MB document of 200,000 elements is read (one validation pass, no document tree)', () => {
  const wide = `<Bundle xmlns="http://hl7.org/fhir">${'<x a="1"/>'.repeat(200_000)}</Bundle>`;
  expect(readXmlRoot(wide).root).toBe('Bundle');
});

test('garbage and control characters give a problem, not an exception', () => {
  for (const text of ['<', '<<<>>>', '<a\u0000/>', '<a b="></a>', '\uFFFF<x/>', '<?xml?>']) {
    expect(() => readXmlRoot(text)).not.toThrow();
  }
});
