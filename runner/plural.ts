/**
 * "1 frame", "2 frames": a count with its noun in the right number. Messages are sentences a
 * person reads, so "frame(s)" and "issue(s)" never appear in them.
 */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
