/** --list: the scenarios that would run, one per line, without touching any server. */
import type { ScenarioFile } from '../scenario/model.js';

export function listScenarios(files: ScenarioFile[], grep?: string): string {
  const pattern = grep ? new RegExp(grep) : undefined;
  const rows = files.flatMap((file) =>
    file.scenarios
      .filter((s) => !pattern || pattern.test(`${s.id} ${s.title}`))
      .map((s) => [s.id, s.level, s.requirements.join(','), s.title]),
  );
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), 0));
  const lines = rows.map((r) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  '));
  return [...lines, `${rows.length} scenario(s)`].join('\n');
}
