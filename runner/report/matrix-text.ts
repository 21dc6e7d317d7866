/** The matrix (matrix.ts) as plain text for a terminal: the runs, then only the rows where they disagree. */
import { terminalLine } from '../cli/terminal-text.js';
import { outcomeText, summaryText } from './outcomes.js';
import type { Matrix, MatrixCell } from './matrix.js';

export function renderMatrixText(matrix: Matrix): string {
  const lines = ['Conformance matrix'];
  matrix.columns.forEach((c, i) => {
    const s = c.summary;
    // server, software and label come from results files, and the first two from a server: one escaped line each
    const name = c.label ? ` "${c.label}"` : '';
    const about = `${c.server} (${c.fhirVersion}${c.software ? `, ${c.software}` : ''})`;
    lines.push(terminalLine(`  run ${i + 1}${name}: ${about}: ${c.verdict}; ${summaryText(s)}`));
  });
  lines.push(...matrix.warnings.map((w) => terminalLine(`  note: ${w}`)));
  const differing = matrix.chapters.flatMap((c) => c.rows).filter((r) => r.differs);
  lines.push('', differing.length === 0 ? 'The runs agree on every scenario.' : `The runs disagree on ${differing.length} scenario${differing.length === 1 ? '' : 's'}:`);
  for (const row of differing) lines.push(terminalLine(`  ${row.id}: ${row.cells.map((cell, i) => `run ${i + 1} ${cellText(cell)}`).join(' · ')}`));
  return `${lines.join('\n')}\n`;
}

function cellText(cell: MatrixCell): string {
  const outcome = cell.outcome === 'not-run' ? '– not run' : outcomeText(cell.outcome);
  return `${outcome}${cell.accepted ? ' (accepted)' : ''}${cell.definitionDiffers ? ' (≠ definition)' : ''}`;
}
