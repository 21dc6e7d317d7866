/**
 * The reference server's faults and variants as the CLI sees them: `--fault` names checked before
 * anything starts (a typo is FWC_ERR_CONFIG with "did you mean", never an internal error), and the
 * table printed by `--list-faults` (name, kind, what it does, the scenarios that catch it).
 */
import { FAULT_NAMES, FAULT_TABLE, alsoWarnsText, isFaultName } from '../../reference-server/src/faults.js';
import { harnessError } from '../errors.js';
import { didYouMean } from '../scenario/suggest.js';

/** The name as given when the table has it; otherwise a config error naming the flag and the closest name. */
export function checkFaultName(flag: string, name: string): string {
  if (isFaultName(name)) return name;
  throw harnessError('FWC_ERR_CONFIG', `${flag}: unknown fault or variant "${name}"${didYouMean(name, FAULT_NAMES)}; fhir-ws-conformance --list-faults prints them all`);
}

/** One block per entry: `name  kind  versions`, then what it does and what catches it, indented. */
export function renderFaultList(): string {
  const width = Math.max(...FAULT_TABLE.map((entry) => entry.name.length));
  const blocks = FAULT_TABLE.map((entry) => {
    const versions: readonly string[] | undefined = entry.versions;
    const notes = [versions && `a fault on ${versions.join(', ')} only`, 'impliesTokenFormat' in entry && entry.impliesTokenFormat && 'switches to JWT tokens'].filter(Boolean);
    const head = `${entry.name.padEnd(width)}  ${entry.kind}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
    const caught = entry.kind === 'fault'
      ? `caught by: ${entry.catches.join(', ')} (${entry.expect})${alsoWarnsText(entry)}`
      : 'the whole suite passes against it (behaviour the spec allows)';
    return [head, `    ${entry.description}`, `    ${caught}`].join('\n');
  });
  const faults = FAULT_TABLE.filter((entry) => entry.kind === 'fault').length;
  return [
    ...blocks,
    '',
    `${faults} faults, ${FAULT_TABLE.length - faults} variants. Use with the bundled reference server: fhir-ws-conformance --fault <name> (repeatable).`,
  ].join('\n');
}
