/**
 * Writes suites/scenario.schema.json from schema.ts, the schema's source:
 *   npx tsx runner/scenario/write-schema.ts           write it
 *   npx tsx runner/scenario/write-schema.ts --check   exit 1 when the file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildScenarioSchema } from './schema.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../../suites/scenario.schema.json', import.meta.url));

export function renderSchema(): string {
  return `${JSON.stringify(buildScenarioSchema(), null, 2)}\n`;
}

function main(argv: string[]): number {
  const wanted = renderSchema();
  if (argv.includes('--check')) {
    const current = safeRead(SCHEMA_FILE);
    if (current === wanted) return 0;
    console.error(`${SCHEMA_FILE} is stale: run npx tsx runner/scenario/write-schema.ts`);
    return 1;
  }
  writeFileSync(SCHEMA_FILE, wanted);
  console.log(`wrote ${SCHEMA_FILE}`);
  return 0;
}

function safeRead(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
