/**
 * Where registered secrets occur in a text, found with indexOf rather than one RegExp built from
 * them: a RegExp's source grows with the secrets ("Regular expression too large" for a 1 MB token,
 * and V8's message then quotes the token). Same rules as a longest-first alternation: leftmost
 * match wins, the longest form at a position wins, matches do not overlap.
 */

/** Below this length a form matches only where it stands alone (not inside a longer token). */
export const SHORT_SECRET_LENGTH = 6;

/** Characters that can belong to a token; a short secret only matches when not glued to them. */
const TOKEN_CHARACTER = /[A-Za-z0-9\-_.~+/=%]/;

export interface SecretMatch {
  start: number;
  end: number;
  form: string;
}

/** Non-overlapping occurrences of any form, in text order. */
export function findSecrets(text: string, forms: Iterable<string>): SecretMatch[] {
  const candidates: SecretMatch[] = [];
  for (const form of forms) {
    if (form.length === 0 || form.length > text.length) continue;
    const short = Array.from(form).length < SHORT_SECRET_LENGTH;
    for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) {
      if (!short || standsAlone(text, at, at + form.length)) candidates.push({ start: at, end: at + form.length, form });
    }
  }
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const chosen: SecretMatch[] = [];
  let cursor = 0;
  for (const candidate of candidates) {
    if (candidate.start < cursor) continue;
    chosen.push(candidate);
    cursor = candidate.end;
  }
  return chosen;
}

/** Replace every match with what `replacement` gives for its form. */
export function replaceSecrets(text: string, forms: Iterable<string>, replacement: (form: string) => string): string {
  const matches = findSecrets(text, forms);
  if (matches.length === 0) return text;
  const parts: string[] = [];
  let cursor = 0;
  for (const match of matches) {
    parts.push(text.slice(cursor, match.start), replacement(match.form));
    cursor = match.end;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}

function standsAlone(text: string, start: number, end: number): boolean {
  return !TOKEN_CHARACTER.test(text.charAt(start - 1)) && !TOKEN_CHARACTER.test(text.charAt(end));
}

/** What every truncation in the harness appends where it cut (transcript.ts, http-client.ts). */
export const CUT_MARKER = '…[truncated';
/** A cut secret is recognised by at least this many of its first characters before the marker. */
export const MIN_CUT_PREFIX = 12;

/**
 * A secret registered after a text was cut (a 1 MB token arrives in the response that is then cut
 * to 64 KB) leaves only its start before the cut, which the whole-secret search cannot see: mask
 * that start too. Forms shorter than twice MIN_CUT_PREFIX are left to the whole-secret search.
 */
export function replaceCutSecrets(text: string, forms: Iterable<string>, replacement: (form: string) => string): string {
  if (!text.includes(CUT_MARKER)) return text;
  const long = [...forms].filter((form) => form.length >= 2 * MIN_CUT_PREFIX);
  let result = text;
  for (let at = result.indexOf(CUT_MARKER); at !== -1; at = result.indexOf(CUT_MARKER, at + CUT_MARKER.length)) {
    const cut = cutSecretBefore(result, at, long);
    if (!cut) continue;
    result = `${result.slice(0, cut.start)}${replacement(cut.form)}${result.slice(at)}`;
    at = cut.start + replacement(cut.form).length;
  }
  return result;
}

function cutSecretBefore(text: string, at: number, forms: string[]): { start: number; form: string } | undefined {
  let found: { start: number; form: string } | undefined;
  for (const form of forms) {
    const start = text.lastIndexOf(form.slice(0, MIN_CUT_PREFIX), at - MIN_CUT_PREFIX);
    if (start < 0 || at - start >= form.length || !form.startsWith(text.slice(start, at))) continue;
    if (!found || start < found.start) found = { start, form };
  }
  return found;
}
