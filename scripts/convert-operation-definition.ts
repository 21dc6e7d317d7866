/**
 * Converts the canonical R5 OperationDefinition XML (as published by HL7) to FHIR JSON and writes
 * runner/validator/definitions/r5-get-ws-binding-token.json.
 *
 * This is a small, honest XML → FHIR JSON conversion for exactly this resource shape, not a general
 * FHIR serializer: FHIR JSON needs to know which elements repeat and which primitives are booleans or
 * integers, and that knowledge lives in a StructureDefinition we do not ship. The tables below state it
 * for the paths this resource uses; an element that repeats without being declared as repeating is an
 * error rather than a silent guess.
 *
 * Usage: npx tsx scripts/convert-operation-definition.ts [input.xml] [output.json]
 * (defaults: the XML under runner/validator/definitions/source/, and the JSON beside it)
 */
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** HL7's published XML, kept in the repository so the conversion can be re-run and tested. */
const DEFAULT_INPUT = fileURLToPath(
  new URL('../runner/validator/definitions/source/r5-operation-subscription-get-ws-binding-token.xml', import.meta.url),
);
const DEFAULT_OUTPUT = fileURLToPath(
  new URL('../runner/validator/definitions/r5-get-ws-binding-token.json', import.meta.url),
);

/** Paths (dotted, from the resource root) whose elements are arrays in FHIR JSON. */
const REPEATING_PATHS = new Set([
  'OperationDefinition.extension',
  'OperationDefinition.contact',
  'OperationDefinition.contact.telecom',
  'OperationDefinition.jurisdiction',
  'OperationDefinition.jurisdiction.coding',
  'OperationDefinition.resource',
  'OperationDefinition.parameter',
  'OperationDefinition.parameter.scope', // 0..* in R5: "scope": ["type"]
  'OperationDefinition.parameter.allowedType',
  'OperationDefinition.parameter.targetProfile',
  'OperationDefinition.parameter.referencedFrom',
  'OperationDefinition.parameter.part',
  'OperationDefinition.overload',
  'OperationDefinition.overload.parameterName',
]);

/** Primitive paths that JSON writes as booleans or numbers; every other primitive is a string. */
const BOOLEAN_PATHS = new Set([
  'OperationDefinition.experimental',
  'OperationDefinition.affectsState',
  'OperationDefinition.system',
  'OperationDefinition.type',
  'OperationDefinition.instance',
]);
const INTEGER_PATHS = new Set(['OperationDefinition.parameter.min', 'OperationDefinition.extension.valueInteger']);

/** Attributes FHIR XML uses for data other than `value` (here only extension.url). */
const DATA_ATTRIBUTES = new Set(['url']);

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's raw source text, start tag to end tag: the narrative div is kept verbatim. */
  raw: string;
}

// ---------------------------------------------------------------------------------------------
// A minimal XML reader: declaration, comments, elements, attributes, text (text is ignored except
// inside the kept-verbatim narrative, which is sliced from the source rather than rebuilt).

class XmlReader {
  private position = 0;
  constructor(private readonly source: string) {}

  readDocument(): XmlElement {
    this.skipProlog();
    const root = this.readElement();
    this.skipMisc();
    if (this.position < this.source.length) this.fail('unexpected content after the root element');
    return root;
  }

  private skipProlog(): void {
    this.skipMisc();
    if (this.source.startsWith('<?xml', this.position)) {
      this.position = this.indexOrFail('?>', this.position) + 2;
    }
    this.skipMisc();
  }

  private skipMisc(): void {
    for (;;) {
      this.skipWhitespace();
      if (this.source.startsWith('<!--', this.position)) {
        this.position = this.indexOrFail('-->', this.position) + 3;
      } else return;
    }
  }

  private readElement(): XmlElement {
    const start = this.position;
    this.expect('<');
    const name = this.readName();
    const attributes = this.readAttributes();
    if (this.source.startsWith('/>', this.position)) {
      this.position += 2;
      return { name, attributes, children: [], raw: this.source.slice(start, this.position) };
    }
    this.expect('>');
    const children = this.readContent(name);
    return { name, attributes, children, raw: this.source.slice(start, this.position) };
  }

  private readContent(parentName: string): XmlElement[] {
    const children: XmlElement[] = [];
    for (;;) {
      const next = this.source.indexOf('<', this.position);
      if (next < 0) this.fail(`unclosed element <${parentName}>`);
      this.position = next;
      if (this.source.startsWith('<!--', next)) {
        this.position = this.indexOrFail('-->', next) + 3;
      } else if (this.source.startsWith('</', next)) {
        this.position += 2;
        const closing = this.readName();
        if (closing !== parentName) this.fail(`expected </${parentName}>, but received </${closing}>`);
        this.skipWhitespace();
        this.expect('>');
        return children;
      } else {
        children.push(this.readElement());
      }
    }
  }

  private readAttributes(): Record<string, string> {
    const attributes: Record<string, string> = {};
    for (;;) {
      this.skipWhitespace();
      const char = this.source[this.position];
      if (char === '>' || char === '/' || char === undefined) return attributes;
      const name = this.readName();
      this.skipWhitespace();
      this.expect('=');
      this.skipWhitespace();
      const quote = this.source[this.position];
      if (quote !== '"' && quote !== "'") this.fail(`attribute ${name} has no quoted value`);
      const end = this.indexOrFail(quote, this.position + 1);
      attributes[name] = decodeEntities(this.source.slice(this.position + 1, end));
      this.position = end + 1;
    }
  }

  private readName(): string {
    const match = /^[A-Za-z_:][A-Za-z0-9_:.\-]*/.exec(this.source.slice(this.position, this.position + 200));
    if (!match) this.fail('expected a name');
    this.position += match[0].length;
    return match[0];
  }

  private skipWhitespace(): void {
    while (/\s/.test(this.source[this.position] ?? '')) this.position++;
  }

  private expect(text: string): void {
    if (!this.source.startsWith(text, this.position)) this.fail(`expected "${text}"`);
    this.position += text.length;
  }

  private indexOrFail(text: string, from: number): number {
    const index = this.source.indexOf(text, from);
    if (index < 0) this.fail(`expected "${text}" before the end of the document`);
    return index;
  }

  private fail(message: string): never {
    throw new Error(`XML error at offset ${this.position}: ${message}`);
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity] as string;
  });
}

// ---------------------------------------------------------------------------------------------
// FHIR XML → FHIR JSON for this resource shape.

export type Json = string | number | boolean | Json[] | { [key: string]: Json };

function convertResource(root: XmlElement): Record<string, Json> {
  if (root.attributes.xmlns !== 'http://hl7.org/fhir') {
    throw new Error(`expected the FHIR namespace on <${root.name}>, but received ${root.attributes.xmlns ?? 'none'}`);
  }
  return { resourceType: root.name, ...convertChildren(root, root.name) };
}

function convertChildren(element: XmlElement, path: string): Record<string, Json> {
  const result: Record<string, Json> = {};
  for (const [name, value] of Object.entries(element.attributes)) {
    if (DATA_ATTRIBUTES.has(name)) result[name] = value;
  }
  for (const child of element.children) {
    const childPath = `${path}.${child.name}`;
    const value = convertElement(child, childPath);
    if (REPEATING_PATHS.has(childPath)) {
      const list = (result[child.name] ??= []) as Json[];
      list.push(value);
    } else if (child.name in result) {
      throw new Error(`${childPath} repeats but is not declared as repeating`);
    } else {
      result[child.name] = value;
    }
  }
  return result;
}

function convertElement(element: XmlElement, path: string): Json {
  if (path === 'OperationDefinition.text.div') return element.raw;
  if ('value' in element.attributes) {
    if (element.children.length > 0) throw new Error(`${path}: primitive extensions are not supported here`);
    return convertPrimitive(element.attributes.value as string, path);
  }
  return convertChildren(element, path);
}

function convertPrimitive(value: string, path: string): Json {
  if (BOOLEAN_PATHS.has(path)) {
    if (value !== 'true' && value !== 'false') throw new Error(`${path}: expected true or false, but received ${value}`);
    return value === 'true';
  }
  if (INTEGER_PATHS.has(path)) {
    if (!/^-?[0-9]+$/.test(value)) throw new Error(`${path}: expected an integer, but received ${value}`);
    return Number(value);
  }
  return value;
}

/** FHIR XML text of an OperationDefinition → its FHIR JSON object. Throws on XML it cannot read. */
export function convertOperationDefinitionXml(xml: string): Record<string, Json> {
  return convertResource(new XmlReader(xml).readDocument());
}

/** The file as written to disk: two-space JSON with a final newline. */
export function renderJson(json: Record<string, Json>): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}

function main(): void {
  const [input = DEFAULT_INPUT, output = DEFAULT_OUTPUT] = process.argv.slice(2);
  fs.writeFileSync(output, renderJson(convertOperationDefinitionXml(fs.readFileSync(input, 'utf8'))));
  process.stdout.write(`wrote ${output}\n`);
}

// Run only as a script, so tests can import the conversion.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
