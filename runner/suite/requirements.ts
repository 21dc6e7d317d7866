/**
 * suites/requirements.csv: the source of truth for requirement ids, levels and coverage.
 * Columns: id, level, url, statement, tested, not_tested_reason (RFC 4180 quoting).
 */
import { readFileSync } from 'node:fs';
import { harnessError } from '../errors.js';

export interface RequirementRow {
  id: string;
  level: string;
  url: string;
  statement: string;
  tested: boolean;
  notTestedReason?: string;
}

const COLUMNS = ['id', 'level', 'url', 'statement', 'tested', 'not_tested_reason'];

export function readRequirements(file: string): RequirementRow[] {
  const rows = parseCsv(readFileSync(file, 'utf8'), file);
  const header = rows.shift() ?? [];
  if (COLUMNS.some((c, i) => header[i] !== c)) {
    throw harnessError('FWC_ERR_SCENARIO_SCHEMA', `${file}:1:1 header must be ${COLUMNS.join(',')}`);
  }
  return rows
    .filter((r) => r.some((cell) => cell.trim() !== ''))
    .map(([id, level, url, statement, tested, reason]) => ({
      id: id!.trim(),
      level: (level ?? '').trim(),
      url: (url ?? '').trim(),
      statement: (statement ?? '').trim(),
      tested: /^(yes|true)$/i.test((tested ?? '').trim()),
      notTestedReason: reason?.trim() || undefined,
    }));
}

/** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string, file = 'csv'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += ch;
  }
  if (quoted) throw harnessError('FWC_ERR_SCENARIO_SYNTAX', `${file}: unterminated quoted field`);
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}
