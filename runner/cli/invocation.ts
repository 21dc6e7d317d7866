/**
 * The command line as typed, for the report's invocation box: it must run when copied, so only the
 * secret parts are masked — a password in a URL (`--server http://user:pass@host/…`) and the values
 * of credential-looking query parameters — never an argument just because it contains a word like
 * "token" (`--fault expired-tokens-accepted`, `--token-ttl 60` stay as they are).
 */

const MASK = '***';
/** Query parameters that carry credentials by convention (access_token=, api_key=, …). */
const SECRET_PARAMETER = /token|secret|password|passwd|api[-_]?key|apikey|auth|credential|signature|sig$/i;

export function redactInvocation(argv: readonly string[]): string {
  return ['fhir-ws-conformance', ...argv.map(redactArgument)].map(shellQuote).join(' ');
}

/** `--flag=value` and bare values alike: the URL inside, if any, loses its secrets. */
function redactArgument(argument: string): string {
  const inline = /^(--[^=]+=)(.*)$/s.exec(argument);
  return inline ? `${inline[1]}${redactUrl(inline[2]!)}` : redactUrl(argument);
}

function redactUrl(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  let changed = false;
  if (url.password !== '') {
    url.password = MASK;
    changed = true;
  }
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_PARAMETER.test(name)) {
      url.searchParams.set(name, MASK);
      changed = true;
    }
  }
  return changed ? decodeMask(url.toString()) : text;
}

/** URL serialisation percent-encodes the mask; the reader should see it plainly. */
function decodeMask(text: string): string {
  return text.replace(/%2A%2A%2A/gi, MASK);
}

/** Single quotes where the shell would otherwise split or expand the argument, so the copied line runs. */
function shellQuote(argument: string): string {
  if (argument !== '' && /^[A-Za-z0-9_\-./:=@,+%^]+$/.test(argument)) return argument;
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}
