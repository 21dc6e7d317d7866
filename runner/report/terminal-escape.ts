/**
 * Server bytes must never drive the terminal: a hostile server can clear the screen, fake a green
 * summary, write the clipboard (OSC 52) or plant links (OSC 8). Every server-controlled string is
 * passed through here before it is printed: control characters become visible escapes.
 */

// C0 controls except tab and newline, DEL, and the C1 controls (U+0080–U+009F, 8-bit CSI/OSC).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** "\x1b[2J" stays readable as text and does nothing. Newlines are kept unless `oneLine`. */
export function escapeForTerminal(text: string, options: { oneLine?: boolean } = {}): string {
  const escaped = text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return options.oneLine ? escaped.replace(/\r?\n/g, '⏎ ').replace(/\t/g, ' ') : escaped;
}

/** One line, at most `max` characters (an ellipsis marks the cut). */
export function oneLine(text: string, max: number): string {
  const line = escapeForTerminal(text, { oneLine: true });
  return line.length > max ? `${line.slice(0, Math.max(0, max - 1))}…` : line;
}
