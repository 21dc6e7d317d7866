/**
 * Request bodies: read with a size limit (413 above it, without buffering the excess), then parsed
 * as one FHIR JSON resource of an expected type. Every failure is a Reply with a 4xx, never a throw.
 */
import type { IncomingMessage } from 'node:http';
import { isAcceptableBodyType, outcomeReply, type Reply } from './fhir-responses.js';

export type BodyRead = { ok: true; body: Buffer } | { ok: false; reply: Reply };

export function readBoundedBody(request: IncomingMessage, limitBytes: number): Promise<BodyRead> {
  const tooLarge = (): BodyRead => ({
    ok: false,
    reply: outcomeReply(413, 'too-long', `the request body exceeds ${limitBytes} bytes`, { Connection: 'close' }),
  });
  const declared = Number(request.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume(); // discard what the client still sends; the connection closes after the reply
    return Promise.resolve(tooLarge());
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyRead): void => {
      if (!settled) resolve(result);
      settled = true;
    };
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limitBytes) {
        chunks.length = 0;
        settle(tooLarge());
      } else chunks.push(chunk);
    });
    request.on('end', () => settle({ ok: true, body: Buffer.concat(chunks) }));
    request.on('error', () => settle({ ok: false, reply: outcomeReply(400, 'structure', 'the request body could not be read') }));
  });
}

/** Deeper JSON than any real resource; guards the recursive code downstream (clone, stringify). */
const MAX_JSON_DEPTH = 100;

/** Depth of a parsed JSON value, measured without recursion (the input may be hostile). */
function nestingDepth(root: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}

export type ParsedResource = { ok: true; resource: Record<string, unknown> & { resourceType: string } } | { ok: false; reply: Reply };

export function parseResourceBody(body: Buffer, contentType: string | undefined, expectedType: string): ParsedResource {
  if (!isAcceptableBodyType(contentType)) {
    return { ok: false, reply: outcomeReply(415, 'not-supported', `body media type ${contentType} is not supported; send application/fhir+json`) };
  }
  if (body.length === 0) return { ok: false, reply: outcomeReply(400, 'required', `a ${expectedType} resource body is required`) };
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return { ok: false, reply: outcomeReply(400, 'structure', 'the body is not valid UTF-8 JSON') };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reply: outcomeReply(400, 'structure', `the body must be a JSON object (a ${expectedType} resource)`) };
  }
  if (nestingDepth(value) > MAX_JSON_DEPTH) {
    return { ok: false, reply: outcomeReply(400, 'structure', `the body nests deeper than ${MAX_JSON_DEPTH} levels`) };
  }
  const resourceType = (value as { resourceType?: unknown }).resourceType;
  if (resourceType !== expectedType) {
    return { ok: false, reply: outcomeReply(400, 'invalid', `the body must be a ${expectedType} resource, got resourceType ${JSON.stringify(resourceType)}`) };
  }
  return { ok: true, resource: value as Record<string, unknown> & { resourceType: string } };
}
