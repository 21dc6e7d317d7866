/** --list: the scenarios that would run, one per line, without touching any server. */
import type { ScenarioFile } from '../scenario/model.js';
import { plural } from '../plural.js';
import { selectScenarios } from '../suite/select.js';

export function listScenarios(files: ScenarioFile[], grep?: string): string {
  const rows = files.flatMap((file) =>
    selectScenarios(file.scenarios, grep)
      .map((s) => [s.id, s.level, s.requirements.join(','), s.title]),
  );
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), 0));
  const lines = rows.map((r) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  '));
  return [...lines, plural(rows.length, 'scenario')].join('\n');
}
