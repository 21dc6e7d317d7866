import { ScenarioLoadError, loadScenarioText, type LoadOptions } from '../../../runner/scenario/load.js';

export const FILE = 'suites/test.yaml';

/** YAML from lines, so a test can count lines: lines(...)[n-1] is line n. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** A valid file head; scenario keys start on line 4, under `  - `. */
export const HEAD = ['chapter: binding', 'title: Test chapter', 'scenarios:'];

/** "line:col CODE message" for every problem, or [] when the text loads. */
export function problemsOf(text: string, options?: LoadOptions): string[] {
  try {
    loadScenarioText(text, FILE, options);
    return [];
  } catch (error) {
    if (!(error instanceof ScenarioLoadError)) throw error;
    return error.problems.map((p) => `${p.location.line}:${p.location.column} ${p.code} ${p.message}`);
  }
}

export function loadError(text: string, options?: LoadOptions): ScenarioLoadError {
  try {
    loadScenarioText(text, FILE, options);
  } catch (error) {
    if (error instanceof ScenarioLoadError) return error;
    throw error;
  }
  throw new Error('expected the text not to load');
}
