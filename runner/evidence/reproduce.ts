/**
 * Command lines a person can paste to replay what the suite did: curl for HTTP exchanges, websocat
 * for sockets. Secrets never appear: each masked secret ("eyJh…1a2b3c4d") becomes a shell variable
 * ("$TOKEN") and a comment line says which masked secret the variable stands for.
 */
import { isCookieHeader, isCredentialHeader } from '../net/credential-headers.js';
import { splitCredential, type Redactor } from './redact.js';
import type { HttpExchangeEntry } from './transcript-types.js';

export interface ReproductionOptions {
  /** Exact masks from the run's Redactor (redactor.masks()); otherwise masks are recognised by shape. */
  knownMasks?: Iterable<string>;
  /**
   * Masks whose origin is known, by mask: a variable name and what it holds ("the main identity's
   * bearer token (auth.bearerToken)"), so a replay uses the right credential for each request.
   */
  named?: ReadonlyMap<string, NamedSecret>;
}

export interface NamedSecret {
  variable: string;
  description: string;
}

export interface SocketReproductionOptions extends ReproductionOptions {
  /** Applied to the url and frames first, for callers holding raw (unredacted) text. */
  redactor?: Redactor;
}

/** Headers curl computes itself; copying them would only cause mismatches. */
const HEADERS_CURL_SETS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive']);
/** A mask by shape: up to 4 characters, "…", 8 hex digits (see redact.ts). */
const MASK_SHAPE = /(?:[^\s'"…]{4})?…[0-9a-f]{8}(?![0-9a-f])/g;
const TRUNCATION_MARKER = /…\[truncated \d+ bytes\]$/;

/** Single-quote for POSIX shells: the only character needing care inside quotes is the quote itself. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function reproductionFor(entry: HttpExchangeEntry, options: ReproductionOptions = {}): string {
  const placeholders = new Placeholders(options.knownMasks, options.named);
  const words = ['curl', '-sS', '-i', '-X', shellQuote(entry.request.method), placeholders.shellWord(entry.request.url)];
  for (const [name, value] of Object.entries(entry.request.headers)) {
    const lower = name.toLowerCase();
    if (HEADERS_CURL_SETS.has(lower)) continue;
    // a cookie's masked values become variables one by one (shellWord); any other credential is one value
    const header = isCredentialHeader(name) && !isCookieHeader(name) ? placeholders.credentialHeader(name, value) : placeholders.shellWord(`${name}: ${value}`);
    words.push('-H', header);
  }
  const comments: string[] = [];
  if (entry.request.body !== undefined) {
    words.push('--data-binary', placeholders.shellWord(entry.request.body));
    if (TRUNCATION_MARKER.test(entry.request.body)) {
      comments.push('# the request body was truncated in the transcript: this sends the truncated text');
    }
  }
  return [...placeholders.legend(), ...comments, words.join(' ')].join('\n');
}

/**
 * `printf … | websocat -n URL`: each argument of printf is one frame; -n keeps the socket open after
 * the frames are sent so the replies (handshakes) are shown. Frames containing a newline are
 * separated by NUL instead (websocat -0), since line mode would split them.
 */
export function reproductionForSocket(url: string, framesSent: string[], options: SocketReproductionOptions = {}): string {
  const redact = (text: string): string => (options.redactor ? options.redactor.redactText(text) : text);
  const placeholders = new Placeholders(options.knownMasks ?? options.redactor?.masks(), options.named);
  const target = placeholders.shellWord(redact(url));
  const frames = framesSent.map((frame) => placeholders.shellWord(redact(frame)));
  let command: string;
  if (frames.length === 0) {
    command = `websocat ${target}`;
  } else {
    const multiline = framesSent.some((frame) => frame.includes('\n'));
    const format = multiline ? `'%s\\0'` : `'%s\\n'`;
    command = `printf ${format} ${frames.join(' ')} | websocat -n${multiline ? ' -0' : ''} ${target}`;
  }
  return [...placeholders.legend(), command].join('\n');
}

/** Assigns TOKEN, TOKEN_2, … to masks in order of appearance (named ones their own name); a mask keeps its name. */
class Placeholders {
  private readonly names = new Map<string, string>();
  private readonly pattern: RegExp;

  constructor(
    knownMasks?: Iterable<string>,
    private readonly named: ReadonlyMap<string, NamedSecret> = new Map(),
  ) {
    const known = knownMasks ? [...new Set(knownMasks)].filter((m) => m.length > 0) : [];
    this.pattern =
      known.length > 0
        ? new RegExp(known.sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g')
        : new RegExp(MASK_SHAPE.source, 'g');
  }

  /** One shell word: literal text single-quoted, masks as "$NAME", concatenated. */
  shellWord(text: string): string {
    const pieces: string[] = [];
    let last = 0;
    for (const match of text.matchAll(this.pattern)) {
      const start = match.index ?? 0;
      if (start > last) pieces.push(shellQuote(text.slice(last, start)));
      pieces.push(`"$${this.nameFor(match[0])}"`);
      last = start + match[0].length;
    }
    if (last < text.length || pieces.length === 0) pieces.push(shellQuote(text.slice(last)));
    return pieces.join('');
  }

  /** The credential always becomes a variable, even if it reached here unmasked (redaction off). */
  credentialHeader(name: string, value: string): string {
    const { scheme, credential } = splitCredential(value);
    return `${shellQuote(`${name}: ${scheme}`)}"$${this.nameFor(credential)}"`;
  }

  legend(): string[] {
    return [...this.names].map(([shown, name]) => {
      const known = this.named.get(shown);
      if (known) return `# $${name}: ${known.description}, shown in the transcript as ${shown}`;
      return shown.includes('…') ? `# $${name}: the secret shown in the transcript as ${shown}` : `# $${name}: a secret (set it before running)`;
    });
  }

  private nameFor(shown: string): string {
    let name = this.names.get(shown);
    if (!name) {
      const anonymous = [...this.names.keys()].filter((key) => !this.named.has(key)).length;
      name = this.named.get(shown)?.variable ?? (anonymous === 0 ? 'TOKEN' : `TOKEN_${anonymous + 1}`);
      this.names.set(shown, name);
    }
    return name;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
