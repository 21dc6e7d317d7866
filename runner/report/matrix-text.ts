/** The matrix (matrix.ts) as plain text for a terminal: the runs, then only the rows where they disagree. */
import { outcomeText, summaryText } from './outcomes.js';
import type { Matrix, MatrixCell } from './matrix.js';

export function renderMatrixText(matrix: Matrix): string {
  const lines = ['Conformance matrix'];
  matrix.columns.forEach((c, i) => {
    const s = c.summary;
    lines.push(`  run ${i + 1}: ${c.server} (${c.fhirVersion}${c.software ? `, ${c.software}` : ''}): ${c.verdict}; ${summaryText(s)}`);
  });
  lines.push(...matrix.warnings.map((w) => `  note: ${w}`));
  const differing = matrix.chapters.flatMap((c) => c.rows).filter((r) => r.differs);
  lines.push('', differing.length === 0 ? 'The runs agree on every scenario.' : `The runs disagree on ${differing.length} scenario${differing.length === 1 ? '' : 's'}:`);
  for (const row of differing) lines.push(`  ${row.id}: ${row.cells.map((cell, i) => `run ${i + 1} ${cellText(cell)}`).join(' · ')}`);
  return `${lines.join('\n')}\n`;
}

function cellText(cell: MatrixCell): string {
  const outcome = cell.outcome === 'not-run' ? '– not run' : outcomeText(cell.outcome);
  return `${outcome}${cell.accepted ? ' (accepted)' : ''}${cell.definitionDiffers ? ' (≠ definition)' : ''}`;
}
