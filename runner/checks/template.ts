/**
 * Reads the `${…}` placeholders of a scenario string. One parser serves both the loader (static
 * check that every variable is defined before use) and interpolate.ts (run time), so the two can
 * never disagree about what a placeholder is.
 *
 *   ${name}              the variable's value
 *   ${name.path.to.x}    a member of it (array elements by index: ${tok.subscriptions.0})
 *   $${                  a literal "${" (the escape); any other "$" is literal as written
 *
 * Variable names are identifiers ([A-Za-z_][A-Za-z0-9_]*); member names may also hold "-" and
 * start with a digit.
 */
import { HarnessError } from '../errors.js';

export interface VariableReference {
  /** "tok.expiration" as written between the braces. */
  reference: string;
  /** The variable: "tok". */
  name: string;
  /** The members below it: ["expiration"]. */
  path: string[];
  /** Index of the "$" in the template. */
  offset: number;
}

export type TemplatePart = { kind: 'text'; text: string } | ({ kind: 'variable' } & VariableReference);

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_-]+)*)$/;

/** The template as literal text and variable parts. Throws HarnessError for a malformed `${`. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let position = 0;
  while (position < template.length) {
    if (template.startsWith('$${', position)) {
      text += '${';
      position += 3;
    } else if (template.startsWith('${', position)) {
      const reference = readReference(template, position);
      if (text) parts.push({ kind: 'text', text });
      text = '';
      parts.push({ kind: 'variable', ...reference });
      position += reference.reference.length + 3;
    } else {
      text += template[position++];
    }
  }
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

/** The variables a template uses, in order. */
export function variableReferences(template: string): VariableReference[] {
  return parseTemplate(template).flatMap((part) => (part.kind === 'variable' ? [stripKind(part)] : []));
}

/** The reference when the whole template is one `${…}` (its value then keeps its type). */
export function wholeReference(template: string): VariableReference | undefined {
  if (!template.startsWith('${')) return undefined;
  const parts = parseTemplate(template);
  return parts.length === 1 && parts[0].kind === 'variable' ? stripKind(parts[0]) : undefined;
}

/** True when the string holds at least one placeholder (so its final value is known only at run time). */
export function hasPlaceholder(template: string): boolean {
  return parseTemplate(template).some((part) => part.kind === 'variable');
}

function readReference(template: string, offset: number): VariableReference {
  const close = template.indexOf('}', offset + 2);
  if (close < 0) {
    throw malformed(template, `unterminated "\${" at character ${offset + 1} (write "$\${" for a literal "\${")`);
  }
  const reference = template.slice(offset + 2, close);
  const match = REFERENCE.exec(reference);
  if (!match) {
    throw malformed(template, `bad variable reference "\${${reference}}": expected \${name} or \${name.member}`);
  }
  const path = match[2] ? match[2].slice(1).split('.') : [];
  return { reference, name: match[1], path, offset };
}

function stripKind(part: { kind: 'variable' } & VariableReference): VariableReference {
  const { kind: _kind, ...reference } = part;
  return reference;
}

function malformed(template: string, message: string): HarnessError {
  return new HarnessError('FWC_ERR_SCENARIO_SCHEMA', `${message} in ${JSON.stringify(template)}`);
}
