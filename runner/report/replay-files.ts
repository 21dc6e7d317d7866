/**
 * reports/repro/<scenario-id>.mjs for every failed or warned scenario (evidence/replay-script.ts):
 * what the reporter knows of the run (the tested base, the credentials' masks, the embedded
 * server's options) turned into the script's header and variables.
 */
import type { RunConfig } from '../config/run-config.js';
import { describeFailure } from '../checks/check-record.js';
import { mask, splitCredential } from '../evidence/redact.js';
import type { NamedSecret } from '../evidence/reproduce.js';
import { renderReplayScript } from '../evidence/replay-script.js';
import { PROJECT_ROOT } from '../project-root.js';
import type { RunResults, ScenarioResult } from './results-types.js';
import { decisiveCheck } from '../outcome/decisive-check.js';

export const REPLAY_DIR = 'repro';

/** The file a scenario's reproduction is written to, relative to the report folder. */
export function replayFileOf(scenario: Pick<ScenarioResult, 'id' | 'outcome'>): string | undefined {
  if (scenario.outcome !== 'failed' && scenario.outcome !== 'warning') return undefined;
  return `${REPLAY_DIR}/${scenario.id.replace(/[^A-Za-z0-9._-]/g, '_')}.mjs`;
}

export function renderReplayFiles(results: RunResults, config: RunConfig | undefined): Record<string, string> {
  const named = namedSecrets(config);
  const files: Record<string, string> = {};
  for (const scenario of results.scenarios) {
    const file = replayFileOf(scenario);
    if (!file) continue;
    const check = decisiveCheck(scenario.checks, scenario.outcome);
    files[file] = renderReplayScript({
      id: scenario.id,
      title: scenario.title,
      location: scenario.line !== undefined ? `${scenario.file}:${scenario.line}` : scenario.file,
      failure: check ? describeFailure(check) : (scenario.reason ?? scenario.outcome),
      transcript: scenario.transcript,
      durationMs: scenario.durationMs,
      serverUrl: results.server.url,
      named,
      // an embedded run's config names the server it started (config.server is set by then)
      referenceServerCommand: config && (config.reference.embedded || !config.server) ? referenceServerCommand(config) : undefined,
      toolRoot: PROJECT_ROOT,
    });
  }
  return files;
}

/** The run's credentials, by their mask, as the variables a replay reads them from. */
function namedSecrets(config: RunConfig | undefined): Map<string, NamedSecret> {
  const named = new Map<string, NamedSecret>();
  const add = (secret: string | undefined, variable: string, description: string) => {
    if (secret) named.set(mask(splitCredential(secret).credential || secret), { variable, description });
  };
  add(config?.auth.bearerToken, 'FHIR_TOKEN', "the run's bearer token (auth.bearerToken)");
  add(config?.auth.otherIdentity?.bearerToken, 'OTHER_IDENTITY_TOKEN', "the second identity's bearer token (auth.otherIdentity)");
  return named;
}

/** A reference server like the embedded one, on a fixed port, with the same faults and the replay's identities. */
function referenceServerCommand(config: RunConfig): string {
  const { fhirVersion, tokenTtlSeconds, tokenFormat, faults, tls } = config.reference;
  const words = ['npx fhir-ws-reference-server --port 8080', `--fhir-version ${fhirVersion}`, `--token-ttl ${tokenTtlSeconds}`];
  if (tokenFormat) words.push(`--token-format ${tokenFormat}`);
  if (tls) words.push('--tls');
  for (const fault of faults) words.push(`--fault ${fault}`);
  if (config.auth.bearerToken) words.push('--bearer-token "$FHIR_TOKEN"');
  if (config.auth.otherIdentity?.bearerToken) words.push('--bearer-token "$OTHER_IDENTITY_TOKEN"');
  return `${words.join(' ')}   # then: FHIR_BASE=${tls ? 'https' : 'http'}://127.0.0.1:8080/fhir`;
}
