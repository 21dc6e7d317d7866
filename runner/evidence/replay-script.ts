/**
 * A reproduction a server's owner can run: one Node script per failed or warned scenario
 * (reports/repro/<id>.mjs) that replays the scenario's transcript on the same timeline — it creates
 * the fixtures, obtains tokens the same way, opens the sockets the server names, sends the same frames,
 * waits as long as the scenario waited, and prints everything that comes back.
 *
 * The transcript is redacted, so the script never holds a secret: values the server handed out during
 * the run (Subscription ids, tokens, websocket-urls) are read from the replayed answers, credentials
 * come from environment variables named in the header, and forged tokens are forged again, by the same
 * class, with the tool's own forger.
 */
import type { NamedSecret } from './reproduce.js';
import type { HttpExchangeEntry, TranscriptEntry, WsEventEntry } from './transcript-types.js';

export interface ReplayInput {
  id: string;
  title: string;
  /** suites/…yaml:line */
  location: string;
  /** What the failure looked like, in one sentence. */
  failure: string;
  transcript: readonly TranscriptEntry[];
  /** How long the scenario ran: the replay waits as long. */
  durationMs: number;
  /** The FHIR base the run tested (overridable with FHIR_BASE). */
  serverUrl: string;
  /** Masks of the run's credentials → the environment variable the script reads instead. */
  named: ReadonlyMap<string, NamedSecret>;
  /** The command that starts a reference server like the one tested, when the run tested the embedded one. */
  referenceServerCommand?: string;
  /** The tool's folder: the script loads `ws` (and the forger) from there. */
  toolRoot: string;
}

/** The notes the engine writes so a replay can do what the transcript alone cannot show. */
export const REPLAY_NOTES = {
  forged: (forgeClass: string, from: string, forged: string, length?: number) =>
    `forged a token (${forgeClass}${length !== undefined ? `, length ${length}` : ''}) from ${from}: ${forged}`,
  closed: (socket: string, abrupt: boolean) => `closed socket "${socket}"${abrupt ? ' without a closing handshake (abrupt)' : ''}`,
};
const FORGED_NOTE = /^forged a token \(([\w-]+)(?:, length (\d+))?\) from (\S+): (\S*)$/;
const CLOSED_NOTE = /^closed socket "([^"]+)"( without a closing handshake)?/;
/** A mask by shape (redact.ts): up to 4 characters, "…", 8 hex digits. */
const MASK = /(?:[^\s'"`…]{0,4})…[0-9a-f]{8}(?![0-9a-f])/g;

export function renderReplayScript(input: ReplayInput): string {
  const builder = new ScriptBuilder(input);
  for (const entry of [...input.transcript].sort((a, b) => a.seq - b.seq)) builder.add(entry);
  return builder.render();
}

class ScriptBuilder {
  private readonly body: string[] = [];
  /** Recorded literal → JS expression that yields the value in the replay. Longest literals first. */
  private readonly substitutions = new Map<string, string>();
  private readonly envSecrets = new Map<string, string>();
  private readonly start: number;
  private counter = 0;
  private forges = false;

  constructor(private readonly input: ReplayInput) {
    this.start = Math.min(...input.transcript.map(timeOf).filter((t) => !Number.isNaN(t)), Date.now());
    this.substitutions.set(input.serverUrl.replace(/\/$/, ''), 'base');
    for (const [shown, secret] of input.named) this.substitutions.set(shown, `env(${JSON.stringify(secret.variable)})`), this.envSecrets.set(secret.variable, secret.description);
  }

  add(entry: TranscriptEntry): void {
    if (entry.kind === 'http') return this.http(entry);
    if (entry.kind === 'ws') return this.ws(entry);
    const forged = FORGED_NOTE.exec(entry.text);
    if (forged) return this.forge(entry, forged);
    const closed = CLOSED_NOTE.exec(entry.text);
    if (closed) {
      this.pace(entry);
      this.body.push(`close(${JSON.stringify(closed[1])}, ${closed[2] ? 'true' : 'false'});`);
      return;
    }
    this.body.push(`// ${entry.text.replace(/\n/g, ' ')}`);
  }

  private http(entry: HttpExchangeEntry): void {
    this.pace(entry);
    const name = `r${++this.counter}`;
    const headers = Object.entries(entry.request.headers)
      .filter(([header]) => !['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive'].includes(header.toLowerCase()))
      .map(([header, value]) => `${JSON.stringify(header)}: ${this.template(value)}`);
    const body = entry.request.body !== undefined ? this.template(entry.request.body) : 'undefined';
    this.body.push(`const ${name} = await http(${JSON.stringify(entry.request.method)}, ${this.template(entry.request.url)}, { ${headers.join(', ')} }, ${body});`);
    this.learnFrom(name, entry);
  }

  /** Values the server handed out become variables of the replay. */
  private learnFrom(name: string, entry: HttpExchangeEntry): void {
    const json = parseJson(entry.response?.body);
    if (!json || typeof json !== 'object') return;
    const resource = json as { resourceType?: unknown; id?: unknown; parameter?: unknown };
    if (resource.resourceType === 'Subscription' && typeof resource.id === 'string' && !this.substitutions.has(resource.id)) {
      this.body.push(`const ${name}Id = ${name}.json?.id;`);
      this.substitutions.set(resource.id, `${name}Id`);
    }
    if (resource.resourceType === 'Parameters') {
      for (const output of ['token', 'websocket-url'] as const) {
        const value = outputValue(resource.parameter, output);
        if (value === undefined || value === '' || this.substitutions.has(value)) continue;
        const variable = `${name}${output === 'token' ? 'Token' : 'WsUrl'}`;
        this.body.push(`const ${variable} = output(${name}.json, ${JSON.stringify(output)});`);
        this.substitutions.set(value, variable);
      }
    }
  }

  private ws(entry: WsEventEntry): void {
    if (entry.event === 'open' || entry.event === 'connect-failed') {
      this.pace(entry);
      this.body.push(`await connect(${JSON.stringify(entry.socket)}, ${this.template(entry.url ?? '')});`);
    } else if (entry.event === 'frame' && entry.direction === 'sent') {
      this.pace(entry);
      this.body.push(entry.binary ? `sendBinary(${JSON.stringify(entry.socket)}, ${JSON.stringify(entry.data ?? '')});` : `send(${JSON.stringify(entry.socket)}, ${this.template(entry.data ?? '')});`);
    }
    // received frames and closes are what the replay prints, not what it does
  }

  private forge(entry: TranscriptEntry, [, forgeClass, length, from, forged]: RegExpExecArray): void {
    this.forges = true;
    const name = `forged${++this.counter}`;
    const source = this.substitutions.get(from!) ?? this.secret(from!);
    this.body.push(`const ${name} = await forge(${source}, ${JSON.stringify(forgeClass)}${length ? `, ${length}` : ''});`);
    if (forged) this.substitutions.set(forged, name);
    void entry;
  }

  /** Replays happen on the recorded timeline: each action at the same offset from the start. */
  private pace(entry: TranscriptEntry): void {
    const at = timeOf(entry);
    if (!Number.isNaN(at)) this.body.push(`await until(${Math.max(0, at - this.start)});`);
  }

  /** A JS template literal of the recorded text, with every known value replaced by its replay expression. */
  private template(text: string): string {
    const literals = [...this.substitutions.keys()].filter(Boolean).sort((a, b) => b.length - a.length);
    let out = '';
    let rest = text;
    while (rest.length > 0) {
      const hit = firstHit(rest, literals);
      const mask = MASK.exec(rest);
      MASK.lastIndex = 0;
      if (!hit && !mask) break;
      const useMask = mask !== null && (!hit || mask.index < hit[0]);
      const [index, literal] = useMask ? [mask.index, mask[0]] : [hit![0], hit![1]];
      const expression = useMask ? this.secret(literal) : this.substitutions.get(literal)!;
      out += escapeTemplate(rest.slice(0, index)) + '${' + expression + '}';
      rest = rest.slice(index + literal.length);
    }
    return '`' + out + escapeTemplate(rest) + '`';
  }

  /** A masked value the replay cannot learn: an environment variable, listed in the header. */
  private secret(shown: string): string {
    const variable = `SECRET_${this.envSecrets.size + 1}`;
    this.envSecrets.set(variable, `the secret shown in the run's transcript as ${shown}`);
    this.substitutions.set(shown, `env(${JSON.stringify(variable)})`);
    return `env(${JSON.stringify(variable)})`;
  }

  render(): string {
    const { input } = this;
    const env = [...this.envSecrets].map(([name, what]) => `//   ${name}: ${what}`);
    const header = [
      '#!/usr/bin/env node',
      `// Reproduction of ${input.id} — ${oneLine(input.title)}`,
      `// Scenario: ${input.location}`,
      `// What failed: ${oneLine(input.failure)}`,
      '//',
      `// Replays what the suite did, on the same timeline, against FHIR_BASE (default: the server the run tested,`,
      `// ${input.serverUrl}), and prints every answer and frame. Run it from the fhir-ws-conformance folder:`,
      `//   npx tsx ${'<this file>'}`,
      ...(input.referenceServerCommand
        ? ['// The run tested the bundled reference server; start one like it first (it prints its URL), then set FHIR_BASE:', `//   ${input.referenceServerCommand}`]
        : []),
      ...(env.length > 0 ? ['// Environment (secrets are never written into this file):', ...env] : []),
    ];
    return [...header, '', ...PRELUDE(input.toolRoot, JSON.stringify(input.serverUrl.replace(/\/$/, '')), this.forges), '', ...this.body, `await until(${Math.max(0, input.durationMs)});`, 'finish();', ''].join('\n');
  }
}

function PRELUDE(toolRoot: string, serverUrl: string, forges: boolean): string[] {
  return [
    `import { createRequire } from 'node:module';`,
    `const TOOL = ${JSON.stringify(toolRoot)};`,
    `const WebSocket = createRequire(TOOL + '/package.json')('ws');`,
    ...(forges ? [`const { forgeToken } = await import(TOOL + '/runner/tokens/forge.ts');`] : []),
    `const base = (process.env.FHIR_BASE ?? ${serverUrl}).replace(/\\/$/, '');`,
    `const started = Date.now();`,
    `const sockets = new Map();`,
    `const stamp = () => \`[\${((Date.now() - started) / 1000).toFixed(2)} s]\`;`,
    `// Tokens and credentials are shown masked (first 4 characters…) so the output can be pasted anywhere; REVEAL=1 shows them.`,
    `const secrets = new Set();`,
    `const secret = (value) => { if (typeof value === 'string' && value.length >= 8 && !process.env.REVEAL) secrets.add(value); return value; };`,
    `const mask = (text) => [...secrets].reduce((out, value) => out.split(value).join(value.slice(0, 4) + '…'), text);`,
    `const show = (text) => mask(String(text)).replace(/[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]/g, (c) => '\\\\x' + c.charCodeAt(0).toString(16).padStart(2, '0')).slice(0, 4000);`,
    `function env(name) { const value = process.env[name]; if (value === undefined) { console.error(\`set \${name} (see the header of this file)\`); process.exit(2); } return secret(value); }`,
    `function until(ms) { return new Promise((resolve) => setTimeout(resolve, Math.max(0, started + ms - Date.now()))); }`,
    `async function http(method, url, headers, body) {`,
    `  console.log(\`\${stamp()} → \${method} \${show(url)}\`);`,
    `  try {`,
    `    const response = await fetch(url, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(30_000) });`,
    `    const text = await response.text();`,
    `    let json; try { json = JSON.parse(text); } catch {}`,
    `    output(json, 'token'); // a token is a secret from the moment it arrives`,
    `    console.log(\`\${stamp()} ← \${response.status} \${show(text)}\`);`,
    `    return { status: response.status, json };`,
    `  } catch (error) { console.log(\`\${stamp()} ← no answer: \${error.message}\`); return { status: undefined }; }`,
    `}`,
    `function output(parameters, name) {`,
    `  const parameter = parameters?.parameter?.find((p) => p?.name === name);`,
    `  const key = parameter && Object.keys(parameter).find((k) => k.startsWith('value'));`,
    `  const value = key ? parameter[key] : undefined;`,
    `  return name === 'token' ? secret(value) : value;`,
    `}`,
    `function connect(name, url) {`,
    `  return new Promise((resolve) => {`,
    `    console.log(\`\${stamp()} [\${name}] connecting to \${show(url)}\`);`,
    `    const socket = new WebSocket(url);`,
    `    sockets.set(name, socket);`,
    `    socket.on('open', () => { console.log(\`\${stamp()} [\${name}] open\`); resolve(); });`,
    `    socket.on('message', (data, binary) => console.log(\`\${stamp()} [\${name}] ← \${binary ? \`<binary \${data.length} bytes>\` : show(data.toString())}\`));`,
    `    socket.on('close', (code, reason) => { console.log(\`\${stamp()} [\${name}] closed \${code} \${show(reason.toString())}\`); resolve(); });`,
    `    socket.on('error', (error) => { console.log(\`\${stamp()} [\${name}] error: \${error.message}\`); resolve(); });`,
    `  });`,
    `}`,
    `function send(name, text) { console.log(\`\${stamp()} [\${name}] → \${show(text)}\`); sockets.get(name)?.send(text); }`,
    `function sendBinary(name, what) { console.log(\`\${stamp()} [\${name}] → \${what}\`); sockets.get(name)?.send(Buffer.alloc(Number(/\\d+/.exec(what)?.[0] ?? 0))); }`,
    `function close(name, abrupt) { const socket = sockets.get(name); console.log(\`\${stamp()} [\${name}] closing\${abrupt ? ' abruptly' : ''}\`); if (abrupt) socket?.terminate(); else socket?.close(); }`,
    ...(forges
      ? [`async function forge(token, forgeClass, length) { const forged = forgeToken(token, forgeClass, { length }); if (!('token' in forged)) { console.log(\`cannot forge: \${forged.notApplicable}\`); process.exit(2); } return secret(forged.token); }`]
      : []),
    `function finish() { for (const socket of sockets.values()) socket.terminate(); console.log(\`\${stamp()} done\`); }`,
  ];
}

function firstHit(text: string, literals: readonly string[]): [number, string] | undefined {
  let best: [number, string] | undefined;
  for (const literal of literals) {
    const index = text.indexOf(literal);
    if (index >= 0 && (!best || index < best[0] || (index === best[0] && literal.length > best[1].length))) best = [index, literal];
  }
  return best;
}

function escapeTemplate(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${').replace(/\u2028|\u2029/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

function outputValue(parameters: unknown, name: string): string | undefined {
  if (!Array.isArray(parameters)) return undefined;
  const parameter = parameters.find((p) => p && typeof p === 'object' && (p as { name?: unknown }).name === name) as Record<string, unknown> | undefined;
  const key = parameter && Object.keys(parameter).find((k) => k.startsWith('value'));
  const value = key ? parameter[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function timeOf(entry: TranscriptEntry): number {
  return Date.parse(entry.kind === 'http' ? entry.startedAt : entry.at);
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').slice(0, 600);
}
