/**
 * Setup mistakes, told apart from non-conformance before any scenario runs. `GET [base]/metadata`
 * must answer a CapabilityStatement; when it clearly does not, the run cannot judge anything, and
 * every scenario failing would blame the server for a wrong URL, missing credentials or the wrong
 * FHIR version. Each diagnosis is one line with a hint, exit 2 (FWC_ERR_TARGET):
 * - 401 / 403: authentication missing or refused (naming the kind of auth configured, never a value);
 * - 404, an HTML page, or JSON that is not a CapabilityStatement: not the FHIR base — with the URL
 *   that is, when one of a few candidates (…/fhir, …/fhir/R4, the other scheme) answers one;
 * - a redirect: where it points (not followed: credentials stay with the configured origin);
 * - the configured FHIR version differs from the CapabilityStatement's (both named);
 * - http:// given to a TLS server, or https:// to a plain-HTTP one.
 * Everything else a server gets wrong (a 5xx, unparseable FHIR JSON, a wrong content type, silence)
 * is a finding, left to the scenarios. Server text is shown JSON-escaped and cut short.
 */
import type { RunConfig } from '../config/run-config.js';
import { harnessError, type HarnessError } from '../errors.js';
import { readCappedBody } from '../net/read-capped-body.js';
import { describeValue } from '../validator/describe-value.js';

/** A CapabilityStatement is rarely over a few hundred KB; past this the suite judges it instead. */
const MAX_METADATA_BYTES = 4 * 1024 * 1024;
/** Each candidate base gets one short look; they run side by side, so the whole probe stays short. */
const CANDIDATE_TIMEOUT_MS = 2_000;
/** Paths tried under --server when it is not the FHIR base (Medplum's base is <root>/fhir/R4). */
const CANDIDATE_SUFFIXES = ['fhir', 'fhir/R4', 'fhir/R5'] as const;

/** What GET metadata gave: an HTTP answer (read to a cap) or a network error. */
export type MetadataAnswer =
  | { kind: 'response'; status: number; contentType: string; location?: string; body: string; complete: boolean }
  | { kind: 'network-error'; code: string };

export async function fetchMetadata(base: string, headers: Record<string, string>, timeoutMs: number, url = `${base}/metadata`): Promise<MetadataAnswer> {
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/fhir+json', ...headers },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await readCappedBody(response, MAX_METADATA_BYTES);
    return {
      kind: 'response',
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      ...(response.headers.get('location') ? { location: response.headers.get('location')! } : {}),
      body: body.text,
      complete: !body.truncated && body.error === undefined,
    };
  } catch (error) {
    return { kind: 'network-error', code: networkCode(error) };
  }
}

/** The diagnosis for an answer to GET metadata, or undefined when the scenarios are to judge it. */
export async function diagnoseMetadataAnswer(
  server: string,
  answer: Extract<MetadataAnswer, { kind: 'response' }>,
  config: Pick<RunConfig, 'fhirVersion' | 'auth'>,
  headers: Record<string, string>,
): Promise<HarnessError | undefined> {
  const where = `GET ${server}/metadata`;
  if (answer.status === 401 || answer.status === 403) {
    return targetError(`${where} answered ${answer.status}: authentication missing or refused (configured: ${describeAuth(config.auth)})`,
      'set auth.bearerToken, auth.oauth2 or the header your server expects in --config, e.g. bearerToken: ${env:FHIR_TOKEN}');
  }
  if (answer.status >= 300 && answer.status < 400) {
    const location = answer.location ? describeValue(answer.location, 200) : 'nowhere (no Location header)';
    return targetError(`${where} redirects (${answer.status}) to ${location}; redirects are not followed, so credentials stay with ${originOf(server)}`,
      `if that is the FHIR base, give it as --server`);
  }
  const capability = capabilityStatementIn(answer);
  if (capability) return await versionMismatch(where, capability, config.fhirVersion);
  if (!looksLikeWrongBase(answer)) return undefined;
  const better = await findFhirBase(server, headers);
  return targetError(`${where} answered ${answer.status} ${describeBody(answer)}, not a CapabilityStatement: is --server the FHIR base?`,
    better ? `${better} answers a CapabilityStatement: use --server ${better}` : baseHint(server));
}

/** A network failure that is really a scheme mismatch (http:// to TLS, https:// to plain HTTP), if so. */
export async function diagnoseNetworkFailure(server: string, code: string): Promise<HarnessError | undefined> {
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'TimeoutError') return undefined;
  const other = otherScheme(server);
  if (!other) return undefined;
  const probe = await fetchMetadata(other, {}, CANDIDATE_TIMEOUT_MS);
  const speaksOther = probe.kind === 'response' || (other.startsWith('https:') && isTlsCode(probe.code));
  if (!speaksOther) return undefined;
  const what = other.startsWith('https:') ? 'speaks TLS (https), not plain HTTP' : 'speaks plain HTTP, not TLS';
  return targetError(`${server} ${what} (${code})`, `use --server ${other}`);
}

// --- the answer --------------------------------------------------------------------------------

function capabilityStatementIn(answer: Extract<MetadataAnswer, { kind: 'response' }>): Record<string, unknown> | undefined {
  if (answer.status < 200 || answer.status >= 300) return undefined;
  const json = parseJson(answer.body);
  return json && json.resourceType === 'CapabilityStatement' ? json : undefined;
}

/**
 * 404 (or 400, 405, 410), an HTML page, or JSON that is some other resource or API: signs of a wrong
 * base. Not a 5xx, and not a body that claims FHIR JSON but does not parse: those are the server's.
 */
function looksLikeWrongBase(answer: Extract<MetadataAnswer, { kind: 'response' }>): boolean {
  if (!answer.complete) return false;
  if ([400, 404, 405, 410].includes(answer.status)) return true;
  if (answer.status < 200 || answer.status >= 300) return false;
  if (isHtml(answer)) return true;
  const json = parseJson(answer.body);
  return json !== undefined && json.resourceType !== 'CapabilityStatement';
}

async function versionMismatch(where: string, capability: Record<string, unknown>, configured: RunConfig['fhirVersion']): Promise<HarnessError | undefined> {
  if (configured === 'auto') return undefined;
  // loaded only here: discovery's module graph (fhir-kit-client, …) would slow every CLI start
  const { versionFromFhirVersion } = await import('../engine/discover-target.js');
  const served = versionFromFhirVersion(capability.fhirVersion);
  if (!served || served === configured) return undefined;
  return targetError(`the configured FHIR version is ${configured}, but ${where} says fhirVersion ${describeValue(capability.fhirVersion)} (${served})`,
    `use --fhir-version ${served}, or leave it out to use the server's`);
}

async function findFhirBase(server: string, headers: Record<string, string>): Promise<string | undefined> {
  const candidates = candidateBases(server);
  const answers = await Promise.all(candidates.map(async (candidate) => ({
    candidate,
    // credentials only where they were configured for: the same origin as --server
    answer: await fetchMetadata(candidate, originOf(candidate) === originOf(server) ? headers : {}, CANDIDATE_TIMEOUT_MS),
  })));
  return answers.find(({ answer }) => answer.kind === 'response' && capabilityStatementIn(answer))?.candidate;
}

/** …/fhir, …/fhir/R4, …/fhir/R5; the parent when --server ends in /metadata; the other scheme. */
export function candidateBases(server: string): string[] {
  const trimmed = server.replace(/\/+$/, '');
  if (/\/metadata$/.test(trimmed)) return [trimmed.replace(/\/metadata$/, '')];
  const other = otherScheme(trimmed);
  return [...CANDIDATE_SUFFIXES.map((suffix) => joinPath(trimmed, suffix)), ...(other ? [other] : [])];
}

// --- small helpers -----------------------------------------------------------------------------

/** "give the FHIR base, e.g. http://host/fhir" — unless --server is already that. */
function baseHint(server: string): string {
  const example = joinPath(originOf(server) ?? server, 'fhir');
  return example === server.replace(/\/+$/, '')
    ? 'give the FHIR base: the URL whose /metadata answers a CapabilityStatement'
    : `give the FHIR base, e.g. ${example}`;
}

function targetError(message: string, hint: string): HarnessError {
  return harnessError('FWC_ERR_TARGET', `${message} — hint: ${hint}`);
}

/** The kind of authentication configured, never a value. */
export function describeAuth(auth: RunConfig['auth']): string {
  const kinds: string[] = [];
  if (auth.bearerToken) kinds.push('a bearer token');
  if (auth.oauth2) kinds.push(`OAuth2 client credentials (token endpoint at ${originOf(auth.oauth2.tokenUrl) ?? 'an invalid URL'})`);
  const headerNames = Object.keys(auth.headers ?? {});
  if (headerNames.length > 0) kinds.push(`header${headerNames.length > 1 ? 's' : ''} ${headerNames.join(', ')}`);
  return kinds.length > 0 ? kinds.join(' and ') : 'no authentication';
}

function describeBody(answer: Extract<MetadataAnswer, { kind: 'response' }>): string {
  const type = answer.contentType ? describeValue(answer.contentType.split(';')[0]!.trim(), 60) : 'with no content type';
  if (isHtml(answer)) return `an HTML page (${type})`;
  const json = parseJson(answer.body);
  if (json) return typeof json.resourceType === 'string' ? `a ${describeValue(json.resourceType, 60)} resource` : `JSON that is no FHIR resource (${type})`;
  return answer.body.trim() === '' ? `an empty body (${type})` : `a body of ${type}`;
}

function isHtml(answer: Extract<MetadataAnswer, { kind: 'response' }>): boolean {
  return /html/i.test(answer.contentType) || /^\s*<(!doctype html|html)/i.test(answer.body);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function otherScheme(url: string): string | undefined {
  if (url.startsWith('http://')) return `https://${url.slice('http://'.length)}`;
  if (url.startsWith('https://')) return `http://${url.slice('https://'.length)}`;
  return undefined;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function joinPath(base: string, suffix: string): string {
  return `${base.replace(/\/+$/, '')}/${suffix}`;
}

const TLS_CODES = /^(ERR_SSL_|ERR_TLS_|EPROTO$|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_|ERR_CERT)/;

function isTlsCode(code: string): boolean {
  return TLS_CODES.test(code);
}

function networkCode(error: unknown): string {
  const e = error as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'TimeoutError';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? 'network error';
}
