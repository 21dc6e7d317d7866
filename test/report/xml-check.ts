/**
 * A small XML 1.0 well-formedness check for the JUnit tests: one root, balanced and properly nested
 * elements, quoted attributes without duplicates, only the five predefined or numeric entities, no raw
 * '<' or '&' in text, no characters XML forbids. Returns the problems found (empty: well-formed).
 */
const NAME = '[A-Za-z_:][A-Za-z0-9_.:-]*';
const ATTRIBUTE = new RegExp(`\\s+(${NAME})\\s*=\\s*("[^"<]*"|'[^'<]*')`, 'y');
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

export interface XmlElement { name: string; attributes: Record<string, string>; children: XmlElement[]; text: string }

export function checkXml(xml: string): { problems: string[]; root?: XmlElement } {
  const problems: string[] = [];
  if (FORBIDDEN.test(xml)) problems.push('contains a character XML 1.0 forbids');
  let position = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const declaration = /^<\?xml[^?]*\?>\s*/.exec(xml);
  if (declaration) position = declaration[0].length;
  while (position < xml.length) {
    const next = xml.indexOf('<', position);
    const text = xml.slice(position, next === -1 ? xml.length : next);
    checkText(text, problems);
    if (stack.length > 0) stack[stack.length - 1]!.text += decode(text);
    else if (text.trim() !== '') problems.push(`text outside the root element: ${text.slice(0, 40)}`);
    if (next === -1) break;
    if (xml.startsWith('<!--', next)) {
      position = xml.indexOf('-->', next) + 3;
      continue;
    }
    const close = new RegExp(`</(${NAME})\\s*>`, 'y');
    close.lastIndex = next;
    const closing = close.exec(xml);
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== closing[1]) problems.push(`</${closing[1]}> closes ${open ? `<${open.name}>` : 'nothing'}`);
      position = close.lastIndex;
      continue;
    }
    const openTag = new RegExp(`<(${NAME})`, 'y');
    openTag.lastIndex = next;
    const opening = openTag.exec(xml);
    if (!opening) {
      problems.push(`malformed markup at offset ${next}: ${xml.slice(next, next + 30)}`);
      break;
    }
    const element: XmlElement = { name: opening[1]!, attributes: {}, children: [], text: '' };
    ATTRIBUTE.lastIndex = openTag.lastIndex;
    let attribute: RegExpExecArray | null;
    let cursor = openTag.lastIndex;
    while ((attribute = ATTRIBUTE.exec(xml))) {
      const [, name, quoted] = attribute;
      if (name! in element.attributes) problems.push(`duplicate attribute ${name} on <${element.name}>`);
      const value = quoted!.slice(1, -1);
      checkText(value, problems);
      element.attributes[name!] = decode(value);
      cursor = ATTRIBUTE.lastIndex;
    }
    const end = /\s*(\/?)>/y;
    end.lastIndex = cursor;
    const ending = end.exec(xml);
    if (!ending) {
      problems.push(`unterminated <${element.name}> at offset ${next}`);
      break;
    }
    if (stack.length > 0) stack[stack.length - 1]!.children.push(element);
    else if (root) problems.push(`second root element <${element.name}>`);
    else root = element;
    if (ending[1] !== '/') stack.push(element);
    position = end.lastIndex;
  }
  if (stack.length > 0) problems.push(`unclosed elements: ${stack.map((e) => e.name).join(', ')}`);
  if (!root) problems.push('no root element');
  return { problems, root };
}

function checkText(text: string, problems: string[]): void {
  if (text.includes('<')) problems.push(`raw '<' in text: ${text.slice(0, 40)}`);
  const entity = /&([^;\s]*);?/g;
  let match: RegExpExecArray | null;
  while ((match = entity.exec(text))) {
    if (!/^(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+)$/.test(match[1]!) || !match[0].endsWith(';')) {
      problems.push(`bad entity reference ${match[0]}`);
    }
  }
}

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g, (_all, name: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[name]) return named[name]!;
    return String.fromCodePoint(name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
  });
}

export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (e: XmlElement) => {
    if (e.name === name) found.push(e);
    e.children.forEach(visit);
  };
  visit(element);
  return found;
}
