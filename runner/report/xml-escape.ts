/**
 * XML text and attribute escaping. Server data can hold characters XML 1.0 forbids (NUL, most C0
 * controls, lone surrogates, U+FFFE/U+FFFF); a JUnit file with one of them is rejected whole by CI
 * parsers, so they are replaced by a visible \uXXXX rather than silently dropped.
 */

const INVALID_XML_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function stripInvalidXmlCharacters(text: string): string {
  return text.replace(INVALID_XML_CHARACTERS, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function escapeXmlText(text: string): string {
  return stripInvalidXmlCharacters(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attributes also escape quotes and keep newlines and tabs (which attribute normalisation would eat). */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
