/**
 * Rewrites the fault table in reference-server/README.md (between the fault-table markers) from
 * faults.ts. Run: npx tsx reference-server/scripts/update-readme-fault-table.ts
 */
import fs from 'node:fs';
import { renderFaultTableMarkdown } from '../src/faults.js';
import { FAULT_TABLE_BEGIN, FAULT_TABLE_END } from '../src/readme-markers.js';

const readme = new URL('../README.md', import.meta.url);
const text = fs.readFileSync(readme, 'utf8');
const begin = text.indexOf(FAULT_TABLE_BEGIN);
const end = text.indexOf(FAULT_TABLE_END);
if (begin === -1 || end < begin) {
  console.error(`README.md has no ${FAULT_TABLE_BEGIN} … ${FAULT_TABLE_END} section`);
  process.exit(2);
}
const updated = `${text.slice(0, begin + FAULT_TABLE_BEGIN.length)}\n${renderFaultTableMarkdown()}\n${text.slice(end)}`;
fs.writeFileSync(readme, updated);
console.log(updated === text ? 'README.md fault table already current' : 'README.md fault table updated');
