/**
 * Progress while a scenario waits (a token's expiry can take a minute): the engine reports it through
 * a callback; under Playwright the generator spec prints it on the worker's stdout with this marker,
 * and the terminal reporter shows it as a progress line instead of passing it through.
 */
export const PROGRESS_MARKER = '[fwc-progress] ';

export type ProgressSink = (message: string) => void;

/** What a worker does with a progress message: hand it to the reporter process. */
export const printProgress: ProgressSink = (message) => {
  process.stdout.write(`${PROGRESS_MARKER}${message}\n`);
};
