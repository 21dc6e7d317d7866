/**
 * The HTTP fuzz case generator: requests aimed mostly at $get-ws-binding-token (both levels, both
 * methods) with malformed JSON, huge bodies, wrong media types, invalid ids (65 characters, `_`,
 * unicode, `..`, percent-encoded slashes), odd query strings and odd methods; and a share of raw
 * byte-level requests that no HTTP client library would send (bad request lines, broken framing,
 * oversized headers). Deterministic for a seed.
 */
import type { Random } from './prng.js';

export interface HttpCase {
  index: number;
  /** One line saying what was sent, for failure messages. */
  label: string;
  kind: 'http' | 'raw';
  method: string;
  /** Request target: path and query, already encoded as it goes on the wire. */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** kind raw: the exact bytes written to the socket. */
  raw?: Buffer;
  /** The server may refuse by closing the connection instead of answering (oversized uploads, CONNECT). */
  mayCloseWithoutAnswer?: boolean;
  /**
   * A websocket upgrade request: RFC 6455 lets a server refuse one with any HTTP error status, so
   * only "answered, never 5xx" applies; the OperationOutcome rule is for REST answers.
   */
  upgrade?: boolean;
}

export interface CaseContext {
  basePath: string; // '/fhir'
  /** Live websocket Subscriptions: the operation succeeds on them. Never deleted or updated by the fuzzer. */
  liveIds: readonly string[];
}

/** Above the server's 1 MB request limit. */
const HUGE_MIN = 1024 * 1024 + 1;
const HUGE_MAX = 3 * 1024 * 1024;
/** The rare very large upload (streamed by the client, refused by the server by its Content-Length). */
const VERY_HUGE = 20 * 1024 * 1024;
const OPERATION = '$get-ws-binding-token';
/** Node's default --max-http-header-size: a longer request head is refused as unparseable. */
const NODE_MAX_HEADER_BYTES = 16 * 1024;
/** HEAD targets stay well inside that limit (see generateHttpCase). */
const HEAD_TARGET_LIMIT = NODE_MAX_HEADER_BYTES / 2;
/** Targets outside the FHIR base. */
const OUTSIDE_BASE = ['/', '/other', '/fhirx/metadata', '/FHIR/metadata', '/fhir/../other', '//fhir/metadata'];

const BAD_IDS = [
  'a'.repeat(64), // valid, unknown
  'a'.repeat(65),
  'fwc_bad_id',
  'naïve-ü',
  '日本語',
  '..',
  '.',
  '-',
  'a..b',
  'Subscription',
  OPERATION,
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '__proto__',
  'constructor',
  'null',
  '{}',
  ' ',
  '\u0000',
  '\u202e',
  'x'.repeat(5000),
];

/** Written into the path without encoding: the server must decode (or refuse) them itself. */
const RAW_PATH_IDS = ['%2F', 'a%2Fb', '%2e%2e', '%2E%2E%2F', '%00', '%zz', '%', '%E2%82', '%C0%AF', '..%2F..%2F', '%252F', '%20'];

const CONTENT_TYPES = [
  undefined,
  'application/fhir+json',
  'application/fhir+json; charset=utf-8',
  'application/json',
  'application/fhir+json; charset=latin1',
  'text/plain',
  'application/xml',
  'application/fhir+xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
  ';;;',
  'application/fhir+json; fhirVersion=9.9',
  'APPLICATION/FHIR+JSON',
];

const ACCEPTS = [undefined, '*/*', 'application/fhir+json', 'application/json', 'application/fhir+xml', 'text/html', '', 'garbage;;q=x', 'application/*;q=0.1, text/*'];

const METHODS: ReadonlyArray<readonly [number, string]> = [
  [40, 'POST'], [30, 'GET'], [5, 'PUT'], [5, 'DELETE'], [4, 'PATCH'], [4, 'HEAD'], [4, 'OPTIONS'], [2, 'FOO'], [2, 'PROPFIND'], [1, 'TRACE'],
];

export function generateHttpCase(rng: Random, index: number, ctx: CaseContext): HttpCase {
  if (rng.chance(0.06)) return rawCase(rng, index, ctx);
  const { method, target } = pickRequestLine(rng, ctx);
  const headers = pickHeaders(rng);
  const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH' || rng.chance(0.05);
  const body = withBody ? pickBody(rng, ctx) : undefined;
  // Refusing an upload early (413 on its size, 400 on a request line past Node's 16 KB header
  // limit) and closing can reset the connection while the client is still sending the body, so the
  // client may never read the answer: for those uploads, a closed connection is an answer too.
  const refusedUpload = body !== undefined && (body.bytes.length > HUGE_MIN || (target.length > NODE_MAX_HEADER_BYTES && body.bytes.length > 0));
  return {
    index,
    label: `${method} ${shorten(target)} [${headers['content-type'] ?? 'no content-type'}] body: ${body?.label ?? 'none'}`,
    kind: 'http',
    method,
    target,
    headers,
    ...(body ? { body: body.bytes } : {}),
    ...(refusedUpload ? { mayCloseWithoutAnswer: true } : {}),
  };
}

function pickRequestLine(rng: Random, ctx: CaseContext): { method: string; target: string } {
  const picked = rng.weighted(METHODS);
  const { path, usesLiveId } = pickPath(rng, ctx);
  const outsideBase = rng.chance(0.02);
  // The live Subscriptions keep the operation's success path reachable: never delete or replace them.
  const method = usesLiveId && !path.includes('$') && (picked === 'DELETE' || picked === 'PUT' || picked === 'PATCH') ? 'GET' : picked;
  const target = `${outsideBase ? rng.pick(OUTSIDE_BASE) : `${ctx.basePath}${path}`}${pickQuery(rng, ctx)}`;
  // Past Node's header limit the server cannot know the method, so it answers with a body; a HEAD
  // client would then misread the stream. Such long targets are cut short for HEAD.
  return { method, target: method === 'HEAD' && target.length > HEAD_TARGET_LIMIT ? target.slice(0, HEAD_TARGET_LIMIT) : target };
}

function pickHeaders(rng: Random): Record<string, string> {
  const headers: Record<string, string> = {};
  const contentType = rng.pick(CONTENT_TYPES);
  const accept = rng.pick(ACCEPTS);
  if (contentType !== undefined) headers['content-type'] = contentType;
  if (accept !== undefined) headers.accept = accept;
  return headers;
}

function pickId(rng: Random, ctx: CaseContext): { segment: string; live: boolean } {
  const roll = rng.next();
  if (roll < 0.3 && ctx.liveIds.length > 0) return { segment: rng.pick(ctx.liveIds), live: true };
  if (roll < 0.45) return { segment: rng.pick(RAW_PATH_IDS), live: false };
  if (roll < 0.55) return { segment: encodeURIComponent(rng.string(rng.int(1, 70), 'abcXYZ019-._~!*()')), live: false };
  return { segment: encodeURIComponent(rng.pick(BAD_IDS)), live: false };
}

function pickPath(rng: Random, ctx: CaseContext): { path: string; usesLiveId: boolean } {
  const { segment: id, live } = pickId(rng, ctx);
  const paths: ReadonlyArray<readonly [number, string]> = [
    [25, `/Subscription/${id}/${OPERATION}`],
    [20, `/Subscription/${OPERATION}`],
    [3, `/Subscription/${id}/%24get-ws-binding-token`],
    [2, `/Subscription/${id}/${OPERATION}/extra`],
    [2, '/Subscription/$GET-WS-BINDING-TOKEN'],
    [2, `/Subscription/${id}/$other-operation`],
    [2, `/Patient/${id}/${OPERATION}`],
    [2, `/Subscription/${id}/_history/1`],
    [6, '/metadata'],
    [6, '/Subscription'],
    [6, `/Subscription/${id}`],
    [3, '/SubscriptionTopic'],
    [2, `/SubscriptionTopic/${id}`],
    [2, `/OperationDefinition/${id}`],
    [3, '/Patient'],
    [2, `/Patient/${id}`],
    [2, '/websocket'],
    [2, `/${id}`],
    [1, ''],
    [1, '/'],
    [1, '//metadata'],
    [1, '/../metadata'],
    [1, '/metadata/..'],
    [1, '/%2e%2e/metadata'],
    [1, '/../../etc/passwd'],
  ];
  const path = rng.weighted(paths);
  return { path, usesLiveId: live && path.includes(id) };
}

function pickQuery(rng: Random, ctx: CaseContext): string {
  const id = () => (ctx.liveIds.length > 0 && rng.chance(0.4) ? rng.pick(ctx.liveIds) : encodeURIComponent(rng.pick(BAD_IDS)));
  return rng.weighted<() => string>([
    [40, () => ''],
    [20, () => `?${Array.from({ length: rng.int(1, 5) }, () => `id=${id()}`).join('&')}`],
    [5, () => `?id=${rng.pick(RAW_PATH_IDS)}`],
    [5, () => `?_format=${rng.pick(['json', 'xml', 'html', 'application/fhir+xml', 'application/fhir+json', '%zz', ''])}`],
    [5, () => `?${rng.pick(['unknown=1', 'subscription=a', 'ID=a', 'id[]=a', 'id.value=a', '_count=-1', '_summary=true'])}`],
    [5, () => `?${rng.pick(['%zz', '&&&', '=', 'id', 'id=', 'id=%', '==&==', '?', '#frag', 'id=a;id=b', '%00=%00'])}`],
    [3, () => `?${Array.from({ length: rng.int(200, 1500) }, () => `id=${id()}`).join('&')}`],
    [2, () => `?id=${'b'.repeat(rng.int(1000, 12_000))}`],
  ])();
}

interface Body { bytes: Buffer; label: string }

function pickBody(rng: Random, ctx: CaseContext): Body {
  const text = (label: string, value: string): Body => ({ bytes: Buffer.from(value, 'utf8'), label });
  const idValue = () => (ctx.liveIds.length > 0 && rng.chance(0.5) ? rng.pick(ctx.liveIds) : rng.pick(BAD_IDS));
  return rng.weighted<() => Body>([
    [12, () => text('valid Parameters', JSON.stringify(parameters(Array.from({ length: rng.int(0, 4) }, idValue))))],
    [8, () => text('odd Parameters', JSON.stringify(oddParameters(rng, idValue())))],
    [6, () => text('empty', '')],
    [8, () => text('truncated JSON', truncate(rng, JSON.stringify(parameters([idValue(), idValue()]))))],
    [4, () => text('wrong resourceType', JSON.stringify({ resourceType: rng.pick(['Patient', 'parameters', 'Bundle', 42, null, '', 'Subscription']), parameter: [] }))],
    [4, () => text('JSON primitive', rng.pick(['null', '42', '"Parameters"', '[]', 'true', '[{"resourceType":"Parameters"}]', '{}']))],
    [4, () => text('random text', rng.string(rng.int(1, 400), 'abc{}[]":,\\ \n\t0123456789-+eE.truefalsnul'))],
    [3, () => ({ bytes: rng.bytes(rng.int(1, 2000)), label: 'random bytes' })],
    [2, () => ({ bytes: Buffer.concat([Buffer.from('{"resourceType":"Parameters","x":"'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from('"}')]), label: 'invalid UTF-8' })],
    [2, () => text('BOM + JSON', `\uFEFF${JSON.stringify(parameters([idValue()]))}`)],
    [2, () => text('trailing garbage', `${JSON.stringify(parameters([idValue()]))}}}garbage`)],
    [2, () => text('duplicate keys', '{"resourceType":"Parameters","resourceType":"Patient","parameter":[]}')],
    [2, () => text('deep arrays', `${'['.repeat(rng.int(1000, 20_000))}${']'.repeat(rng.int(0, 5))}`)],
    [2, () => text('deep objects', `{"resourceType":"Parameters","parameter":[${'{"part":['.repeat(rng.int(101, 400))}`)],
    [2, () => text('deep valid nesting', deepValidNesting(rng.int(90, 3000)))],
    [2, () => text('prototype keys', '{"resourceType":"Parameters","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"parameter":[{"name":"id","valueId":"__proto__"}]}')],
    [1, () => text('XML', '<Parameters xmlns="http://hl7.org/fhir"><parameter><name value="id"/></parameter></Parameters>')],
    [1, () => text('form data', 'id=abc&id=def')],
    [2, () => text('large valid JSON', JSON.stringify({ ...parameters([idValue()]), padding: 'p'.repeat(rng.int(100_000, 900_000)) }))],
    [2, () => ({ bytes: Buffer.alloc(rng.int(HUGE_MIN, HUGE_MAX), 0x61), label: 'huge body (over 1 MB)' })],
    [0.05, () => ({ bytes: Buffer.alloc(VERY_HUGE, 0x20), label: 'very huge body (20 MB)' })],
  ])();
}

function parameters(ids: string[]): Record<string, unknown> {
  return { resourceType: 'Parameters', parameter: ids.map((id) => ({ name: 'id', valueId: id })) };
}

function oddParameters(rng: Random, id: string): Record<string, unknown> {
  return rng.pick<Record<string, unknown>>([
    { resourceType: 'Parameters', parameter: 'id' },
    { resourceType: 'Parameters', parameter: {} },
    { resourceType: 'Parameters', parameter: [null, 1, 'x', []] },
    { resourceType: 'Parameters', parameter: [{ valueId: id }] },
    { resourceType: 'Parameters', parameter: [{ name: 42, valueId: id }] },
    { resourceType: 'Parameters', parameter: [{ name: 'id', valueString: id }] },
    { resourceType: 'Parameters', parameter: [{ name: 'id', valueInteger: 7 }] },
    { resourceType: 'Parameters', parameter: [{ name: 'id', valueId: { nested: id } }] },
    { resourceType: 'Parameters', parameter: [{ name: 'id', valueReference: { reference: `Subscription/${id}` } }] },
    { resourceType: 'Parameters', parameter: [{ name: 'id', valueId: id, valueString: id }] },
    { resourceType: 'Parameters', parameter: [{ name: 'id', part: [{ name: 'id', valueId: id }] }] },
    { resourceType: 'Parameters', parameter: [{ name: 'id' }] },
    { resourceType: 'Parameters', parameter: [{ name: 'token', valueString: 'x' }] },
    { resourceType: 'Parameters', parameter: Array.from({ length: 500 }, () => ({ name: 'id', valueId: id })) },
    { resourceType: 'Parameters', id: '../../x', meta: { versionId: [] }, parameter: [] },
  ]);
}

function truncate(rng: Random, json: string): string {
  return json.slice(0, rng.int(1, Math.max(1, json.length - 1)));
}

/** Nested `part` arrays: valid JSON, deeper than any real Parameters (the server limits depth to 100). */
function deepValidNesting(depth: number): string {
  return `{"resourceType":"Parameters","parameter":[${'{"name":"p","part":['.repeat(depth)}${']}'.repeat(depth)}]}`;
}

function rawCase(rng: Random, index: number, ctx: CaseContext): HttpCase {
  const base = ctx.basePath;
  const op = `${base}/Subscription/${OPERATION}`;
  const close = 'Connection: close\r\n';
  const raws: ReadonlyArray<readonly [string, string, boolean?]> = [
    ['garbage request line', 'GARBAGE\r\n\r\n'],
    ['HTTP/9.9', `GET ${base}/metadata HTTP/9.9\r\nHost: x\r\n${close}\r\n`],
    ['header without colon', `GET ${base}/metadata HTTP/1.1\r\nHost: x\r\nBadHeader\r\n${close}\r\n`],
    ['NUL in header', `GET ${base}/metadata HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n${close}\r\n`],
    ['non-numeric Content-Length', `POST ${op} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n${close}\r\n`],
    ['negative Content-Length', `POST ${op} HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n${close}\r\n`],
    ['two Content-Lengths', `POST ${op} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 7\r\n${close}\r\n{}`],
    ['bad chunk size', `POST ${op} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n${close}\r\nzz\r\n{}\r\n0\r\n\r\n`],
    ['Content-Length and chunked', `POST ${op} HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n${close}\r\n0\r\n\r\n`],
    ['Content-Length larger than body', `POST ${op} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nContent-Type: application/fhir+json\r\n${close}\r\n{"resourceType"`],
    ['raw unicode in path', `GET ${base}/Subscription/ä日/${OPERATION} HTTP/1.1\r\nHost: x\r\n${close}\r\n`],
    ['space in path', `GET ${base}/Subscription/a b/${OPERATION} HTTP/1.1\r\nHost: x\r\n${close}\r\n`],
    ['oversized header', `GET ${base}/metadata HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(rng.int(17_000, 40_000))}\r\n${close}\r\n`],
    ['asterisk target', `OPTIONS * HTTP/1.1\r\nHost: x\r\n${close}\r\n`],
    ['absolute-form target', `GET http://evil.example${base}/metadata HTTP/1.1\r\nHost: x\r\n${close}\r\n`],
    ['odd Host header', `GET ${base}/Subscription/${OPERATION} HTTP/1.1\r\nHost: ${rng.pick(['evil.example:99999', '[::1', 'ä.example', '', 'a'.repeat(300)])}\r\n${close}\r\n`],
    ['lower-case method', `get ${base}/metadata HTTP/1.1\r\nHost: x\r\n${close}\r\n`],
    ['HTTP/1.0 without Host', `GET ${base}/metadata HTTP/1.0\r\n\r\n`],
    ['upgrade on a REST path', `GET ${base}/metadata HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`],
    ['bad upgrade on the channel', `GET ${base}/websocket HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 99\r\n\r\n`],
    ['CONNECT', `CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n`, true],
    ['random bytes', ''],
  ];
  const [label, text, mayClose] = rng.pick(raws);
  const raw = label === 'random bytes' ? Buffer.concat([rng.bytes(rng.int(1, 300)), Buffer.from('\r\n\r\n')]) : Buffer.from(text, 'utf8');
  const upgrade = /\r\nUpgrade: websocket/i.test(text);
  return {
    index,
    label: `raw: ${label}`,
    kind: 'raw',
    method: 'RAW',
    target: '',
    headers: {},
    raw,
    ...(mayClose ? { mayCloseWithoutAnswer: true } : {}),
    ...(upgrade ? { upgrade } : {}),
  };
}

function shorten(text: string, max = 160): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length} chars)`;
}
