/**
 * How deep server JSON may nest before the harness refuses to walk it. Every walk of server data
 * (rendering, comparing, querying, normalizing, redacting, the topic lookup) recurses, and V8's
 * stack ends near 5,000 levels (JSON.stringify) or fewer (a walk with bigger frames): a hostile
 * document 3,000 levels deep crashed the run. Server bodies and frames nested deeper than
 * MAX_JSON_DEPTH are therefore not parsed (a finding: "nested deeper than …"), and the walks stop
 * at MAX_WALK_DEPTH for anything that got in another way. FHIR resources nest a few dozen levels.
 */
export const MAX_JSON_DEPTH = 100;
/** A walk's own guard: deeper than any parsed document can be, so it only catches the unexpected. */
export const MAX_WALK_DEPTH = 2 * MAX_JSON_DEPTH;

/** Whether JSON text nests arrays/objects deeper than `limit`, found in one linear scan (no parsing). */
export function nestsDeeperThan(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * JSON.parse for server text, refusing documents nested deeper than MAX_JSON_DEPTH. `error` is a
 * sentence: "not JSON: <why>", or why a JSON document was not parsed.
 */
export function parseServerJson(text: string): { json?: unknown; error?: string; notJson?: boolean } {
  if (nestsDeeperThan(text)) return { error: `JSON nested deeper than ${MAX_JSON_DEPTH} levels, not parsed (the harness walks no deeper)` };
  try {
    return { json: JSON.parse(text) };
  } catch (error) {
    return { error: `not JSON: ${error instanceof Error ? error.message : String(error)}`, notJson: true };
  }
}
