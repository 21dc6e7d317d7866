/**
 * Reads a text frame as FHIR XML (WS-11: an XML Subscription's notifications arrive as XML): the
 * frame must be well-formed and its root element a given resource in the FHIR namespace.
 * Well-formedness is fast-xml-parser's validator (iterative: deep nesting does not exhaust the
 * stack; entities are not expanded). Only the root start tag is then read, so a large frame costs
 * one validation pass, not a document tree. Frames are already bounded in size by the websocket
 * client; results are cached because a frame is matched once per waiting step.
 */
import { XMLValidator } from 'fast-xml-parser';

const FHIR_NS = 'http://hl7.org/fhir';
const CACHE_SIZE = 32;

export interface XmlRootView {
  /** The root element's local name, '' when the text is not well-formed XML. */
  root: string;
  namespace?: string;
  /** Why it is not read as XML, when it is not. */
  problem?: string;
}

/** Prolog (declaration, comments, processing instructions, a DOCTYPE) then the root start tag. */
const ROOT_TAG =
  /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>)*<([A-Za-z_][\w.-]*)(?::([A-Za-z_][\w.-]*))?((?:[^>"']|"[^"]*"|'[^']*')*)\/?>/;

const cache = new Map<string, XmlRootView>();

export function readXmlRoot(text: string): XmlRootView {
  const cached = cache.get(text);
  if (cached) return cached;
  const view = read(text);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(text, view);
  return view;
}

function read(text: string): XmlRootView {
  let valid: ReturnType<typeof XMLValidator.validate>;
  try {
    valid = XMLValidator.validate(text);
  } catch (error) {
    return { root: '', problem: `not readable as XML: ${(error as Error).message}` };
  }
  if (valid !== true) return { root: '', problem: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})` };
  const tag = ROOT_TAG.exec(text);
  if (!tag) return { root: '', problem: 'no root element' };
  const [, first, second, attributes] = tag;
  const prefix = second === undefined ? undefined : first!;
  const local = second ?? first!;
  const declaration = new RegExp(`\\sxmlns${prefix ? `:${prefix}` : ''}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(attributes ?? '');
  const namespace = declaration ? (declaration[2] ?? declaration[3]) : undefined;
  return { root: local, ...(namespace !== undefined ? { namespace } : {}) };
}

/** True when the text is well-formed XML whose root is `<root xmlns="http://hl7.org/fhir">`. */
export function isFhirXmlResource(text: string | undefined, root: string): boolean {
  if (text === undefined || !text.trimStart().startsWith('<')) return false;
  const view = readXmlRoot(text);
  return view.root === root && view.namespace === FHIR_NS;
}
