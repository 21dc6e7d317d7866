/**
 * A small JSON → FHIR XML serializer for notification Bundles (https://hl7.org/fhir/R5/xml.html):
 * a resource is an element named by its resourceType in the FHIR namespace; a primitive is
 * <name value="…"/> (its `_name` extensions become children); arrays repeat the element; a nested
 * resource (entry.resource, Parameters.parameter.resource) is wrapped in its parent's element;
 * an extension's `url` is an attribute. Element order follows the JSON's, which the server writes in
 * definition order. Enough for what this server sends; not a general FHIR serializer (no narrative).
 */
import type { FhirResource } from './store.js';

const FHIR_NS = 'http://hl7.org/fhir';

export function resourceToXml(resource: FhirResource): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${resourceElement(resource)}`;
}

/** Nested resources repeat the namespace declaration: harmless, and each stands alone when cut out. */
function resourceElement(resource: Record<string, unknown>): string {
  const name = String(resource.resourceType);
  return `<${name} xmlns="${FHIR_NS}">${children(resource)}</${name}>`;
}

function children(node: Record<string, unknown>): string {
  let out = '';
  for (const [key, value] of Object.entries(node)) {
    if (key === 'resourceType' || key.startsWith('_')) continue;
    if (key === 'url' && isExtensionLike(node)) continue; // written as an attribute
    const extras = node[`_${key}`];
    const values = Array.isArray(value) ? value : [value];
    const extraList = Array.isArray(extras) ? extras : [extras];
    values.forEach((item, i) => (out += element(key, item, extraList[i])));
  }
  return out;
}

function element(name: string, value: unknown, primitiveExtras: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') {
    const inner = isRecord(primitiveExtras) ? children(primitiveExtras) : '';
    const open = `<${name} value="${escapeAttribute(String(value))}"`;
    return inner ? `${open}>${inner}</${name}>` : `${open}/>`;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.resourceType === 'string') return `<${name}>${resourceElement(record)}</${name}>`;
  const url = isExtensionLike(record) ? ` url="${escapeAttribute(String(record.url))}"` : '';
  return `<${name}${url}>${children(record)}</${name}>`;
}

/** Extensions (and modifierExtensions) carry `url` as an XML attribute. */
function isExtensionLike(node: Record<string, unknown>): boolean {
  return typeof node.url === 'string' && Object.keys(node).some((key) => key.startsWith('value') || key === 'extension');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!).replace(/[\r\n\t]/g, (c) => `&#${c.charCodeAt(0)};`);
}
