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
