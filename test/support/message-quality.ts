/**
 * What makes a failure message read badly (issue 12: "every message reads as a sentence and says
 * what was wrong"): a regular expression where words should be, "(s)" plurals, "no a handshake",
 * "such frame", or the same "expected …" said twice in one line.
 */
const PROBLEMS: Array<[RegExp, string]> = [
  [/matching \/|\/\^|\[[a-zA-Z]{2}\]\[/, 'prints a regular expression instead of saying what is expected'],
  [/\w\(s\)/, 'writes "(s)" instead of a count with its noun'],
  [/\bno an? /, 'reads "no a …"'],
  [/such frame/, 'says "such frame" instead of naming it'],
  [/expected .*\bexpected /, 'says "expected" twice: the label repeats the message'],
];

export function messageProblems(message: string): string[] {
  return PROBLEMS.filter(([pattern]) => pattern.test(message)).map(([, why]) => `${why}: ${message}`);
}
