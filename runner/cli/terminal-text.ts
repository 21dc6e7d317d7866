/**
 * Text a server controls, made safe for a terminal. A terminal obeys bytes: ESC sequences clear the
 * screen, move the cursor over a verdict already printed, write the clipboard (OSC 52) or plant a
 * link (OSC 8); BEL rings; CR overwrites a line; bidirectional overrides reorder what is read. Every
 * such character is shown as a visible escape instead (ESC → `\x1b`, U+202E → `\u202e`), so the
 * reader sees what the server sent and the terminal does nothing with it.
 *
 * The result holds no control character, so escaping twice changes nothing: sinks can escape what
 * they print even when parts of it were escaped where they were built.
 */

/** C0 controls, DEL, C1 controls (8-bit CSI/OSC), line/paragraph separators, bidi embeddings, overrides and isolates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, with line feeds allowed: for text whose lines are ours (a list, a multi-line error). */
const UNSAFE_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(character: string): string {
  const named = NAMED[character];
  if (named) return named;
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line, whatever the input: every control character (line feeds too) shown as an escape. */
export function terminalLine(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Several lines: line feeds kept, every other control character (CR, ESC, BEL, …) shown as an escape. */
export function terminalLines(text: string): string {
  return text.replace(UNSAFE_EXCEPT_NEWLINE, visible);
}

/** One line of at most `max` characters (an ellipsis marks the cut): a reason beside a scenario id. */
export function terminalShort(text: string, max: number): string {
  const line = terminalLine(text);
  return line.length > max ? `${line.slice(0, Math.max(0, max - 1))}…` : line;
}
