/**
 * Reads the --config YAML file. Every problem names file:line:col. Secrets can come from the
 * environment (`${env:NAME}`) so config files can be committed without them.
 */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, visit, type Document, type Node, type Pair } from 'yaml';
import { readInputFile } from '../read-input-file.js';
import { harnessError, type SourceLocation } from '../errors.js';
import { configDurationProblem, parseDuration } from '../scenario/duration.js';
import type { RunConfig } from './run-config.js';

type Shape = 'string' | 'boolean' | 'duration' | 'object' | 'string[]' | 'any-object';
interface FieldSpec { shape: Shape; children?: Record<string, FieldSpec>; oneOf?: string[] }

const STRING: FieldSpec = { shape: 'string' };
const DURATION: FieldSpec = { shape: 'duration' };

/** The closed set of keys a config file may hold. */
const CONFIG_SPEC: Record<string, FieldSpec> = {
  server: STRING,
  fhirVersion: { shape: 'string', oneOf: ['auto', 'R4', 'R4B', 'R5'] },
  auth: {
    shape: 'object',
    children: {
      bearerToken: STRING,
      headers: { shape: 'any-object' },
      oauth2: {
        shape: 'object',
        children: { tokenUrl: STRING, clientId: STRING, clientSecret: STRING, scope: STRING },
      },
      otherIdentity: { shape: 'object', children: { bearerToken: STRING, headers: { shape: 'any-object' } } },
    },
  },
  subscriptions: {
    shape: 'object',
    children: {
      create: { shape: 'boolean' },
      template: { shape: 'any-object' },
      existing: { shape: 'object', children: { websocket: { shape: 'string[]' }, restHook: STRING } },
    },
  },
  topic: STRING,
  trigger: { shape: 'any-object' },
  bindForm: { shape: 'string', oneOf: ['auto', 'space', 'colon', 'json'] },
  timeouts: {
    shape: 'object',
    children: { http: DURATION, connect: DURATION, handshake: DURATION, silence: DURATION },
  },
  maxWait: DURATION,
  soak: DURATION,
  level: { shape: 'string', oneOf: ['shall', 'should'] },
};

export interface ConfigFileValues {
  values: Partial<RunConfig>;
  file: string;
}

export function readConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): ConfigFileValues {
  return { values: parseConfigText(readInputFile(file, 'config file'), file, env), file };
}

export function parseConfigText(text: string, file: string, env: NodeJS.ProcessEnv = process.env): Partial<RunConfig> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const locate = (offset: number | undefined): SourceLocation => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const at = locate(first.pos[0]);
    throw harnessError('FWC_ERR_CONFIG', `${first.message.split('\n')[0]!}${flowPlaceholderHint(text, at.line)}`, at);
  }
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) throw harnessError('FWC_ERR_CONFIG', 'a config file is a mapping of keys', locate(doc.contents.range?.[0]));
  checkMap(doc.contents.items as Pair[], CONFIG_SPEC, '', locate);
  const raw = expandEnv(toPlainValue(doc, locate), env, file);
  return toRunConfig(raw as Record<string, any>);
}

/** Aliases within yaml's default budget (100): more is a "billion laughs" file, refused as a config error. */
const MAX_ALIAS_COUNT = 100;

function toPlainValue(doc: Document, locate: (offset?: number) => SourceLocation): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let alias: Node | undefined;
    visit(doc, { Alias: (_key, node) => ((alias = node), visit.BREAK) });
    const message = `YAML aliases here expand past ${MAX_ALIAS_COUNT} copies (${error.message}); write the values out instead of nesting aliases`;
    throw harnessError('FWC_ERR_CONFIG', message, locate(alias?.range?.[0]));
  }
}

/** `{ token: ${env:X} }` reads `{` as a nested mapping: the usual cause of a YAML error on a line with `${`. */
function flowPlaceholderHint(text: string, line: number): string {
  const source = text.split('\n')[line - 1] ?? '';
  return /[{[][^'"]*\$\{/.test(source) ? ' (inside { } or [ ] a ${…} value must be quoted: "${env:NAME}", or use block style)' : '';
}

function checkMap(items: Pair[], spec: Record<string, FieldSpec>, prefix: string, locate: (o?: number) => SourceLocation): void {
  for (const pair of items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : '?';
    const field = spec[key];
    if (!field) {
      const known = Object.keys(spec).join(', ');
      throw harnessError('FWC_ERR_CONFIG', `unknown key "${prefix}${key}" (known: ${known})`, locate(keyNode.range?.[0]));
    }
    checkValue(pair.value as Node | null, field, `${prefix}${key}`, locate);
  }
}

function checkValue(node: Node | null, field: FieldSpec, path: string, locate: (o?: number) => SourceLocation): void {
  const at = locate(node?.range?.[0]);
  const fail = (what: string) => harnessError('FWC_ERR_CONFIG', `"${path}" ${what}`, at);
  if (node === null) throw fail('has no value');
  switch (field.shape) {
    case 'object':
      if (!isMap(node)) throw fail('must be a mapping');
      return checkMap(node.items as Pair[], field.children ?? {}, `${path}.`, locate);
    case 'any-object':
      if (!isMap(node)) throw fail('must be a mapping');
      return;
    case 'string[]':
      if (!isSeq(node) || !node.items.every((item) => isScalar(item) && typeof item.value === 'string')) throw fail('must be a list of strings');
      return;
    case 'boolean':
      if (!isScalar(node) || typeof node.value !== 'boolean') throw fail('must be true or false');
      return;
    case 'duration':
    {
      const problem = isScalar(node) ? configDurationProblem(node.value) : 'must be a duration like "10s", not a collection';
      if (problem) throw fail(problem);
      return;
    }
    case 'string':
      if (!isScalar(node) || typeof node.value !== 'string') throw fail('must be a string');
      if (field.oneOf && !field.oneOf.includes(node.value)) throw fail(`must be one of ${field.oneOf.join(', ')}, not "${node.value}"`);
  }
}

/** `${env:NAME}` anywhere in a string value is replaced by that environment variable. */
function expandEnv(value: unknown, env: NodeJS.ProcessEnv, file: string): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined) throw harnessError('FWC_ERR_CONFIG', `${file}: environment variable ${name} is not set`);
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item) => expandEnv(item, env, file));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandEnv(v, env, file)]));
  }
  return value;
}

function toRunConfig(raw: Record<string, any>): Partial<RunConfig> {
  const out: Partial<RunConfig> = {};
  if (raw.server !== undefined) out.server = raw.server;
  if (raw.fhirVersion !== undefined) out.fhirVersion = raw.fhirVersion;
  if (raw.auth) out.auth = { headers: raw.auth.headers ?? {}, bearerToken: raw.auth.bearerToken, oauth2: raw.auth.oauth2, otherIdentity: raw.auth.otherIdentity };
  if (raw.subscriptions) {
    out.subscriptions = {
      create: raw.subscriptions.create ?? !raw.subscriptions.existing,
      template: raw.subscriptions.template,
      existing: { websocket: raw.subscriptions.existing?.websocket ?? [], restHook: raw.subscriptions.existing?.restHook },
    };
  }
  if (raw.topic !== undefined) out.topic = raw.topic;
  if (raw.trigger !== undefined) out.trigger = raw.trigger;
  if (raw.bindForm !== undefined) out.bindForm = raw.bindForm;
  if (raw.timeouts) {
    const t = raw.timeouts;
    out.timeouts = {
      httpMs: t.http !== undefined ? parseDuration(t.http) : undefined,
      connectMs: t.connect !== undefined ? parseDuration(t.connect) : undefined,
      handshakeMs: t.handshake !== undefined ? parseDuration(t.handshake) : undefined,
      silenceMs: t.silence !== undefined ? parseDuration(t.silence) : undefined,
    } as RunConfig['timeouts'];
  }
  if (raw.maxWait !== undefined) out.maxWaitMs = parseDuration(raw.maxWait);
  if (raw.soak !== undefined) out.soakMs = parseDuration(raw.soak);
  if (raw.level !== undefined) out.level = raw.level;
  return out;
}
