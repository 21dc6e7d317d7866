/**
 * `fhir-ws-reference-server`: run the reference server from the command line.
 * Bad flags or values print one line naming the problem and exit with 2.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bundledTls, type TlsMaterial } from './tls.js';
import { FAULT_TABLE } from './faults.js';
import { MAX_BEARER_IDENTITIES, ReferenceServerOptionError, type ReferenceServerOptions } from './options.js';
import { PRESET_NAMES } from './presets.js';
import { DEFAULT_MAX_SUBSCRIPTIONS } from './subscription-quota.js';
import { startReferenceServer } from './server.js';

const USAGE = `Usage: fhir-ws-reference-server [options]

A FHIR server (in memory) implementing Subscription/$get-ws-binding-token and the websocket channel.

Options:
  --host <host>            address to listen on (default 127.0.0.1)
  --port <n>               port, 0 for any free one (default 0)
  --base-path <path>       FHIR base path (default /fhir)
  --fhir-version <v>       R4, R4B or R5 (default R5)
  --token-ttl <seconds>    binding token lifetime (default 60)
  --token-format <f>       opaque or jwt (default opaque)
  --max-subscriptions <n>  live Subscriptions one client (bearer identity; everyone without auth) may
                           hold; a create past it gets 422 (default ${DEFAULT_MAX_SUBSCRIPTIONS})
  --public-url <url>       the FHIR base as clients reach it (behind a proxy)
  --bearer-token <t>       require Authorization: Bearer <t> on every REST request (401 otherwise);
                           repeatable, up to ${MAX_BEARER_IDENTITIES}: each token is one identity, and with two or more
                           each identity sees only the Subscriptions it created
  --tls                    serve https:// and wss:// with the bundled localhost certificate (local testing
                           only: clients must trust reference-server/tls/test-ca.pem, e.g. NODE_EXTRA_CA_CERTS)
  --tls-cert <file>        serve https:// and wss:// with this PEM certificate (with --tls-key)
  --tls-key <file>         the certificate's PEM private key
  --preset <name>          emulate a real server: ${PRESET_NAMES.join(', ')} (other flags override its defaults)
  --fault <name>           switch on a fault or variant (repeatable)
  --list-faults            print the faults and variants, then exit
  --help                   print this help, then exit`;

const FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'base-path': { type: 'string' },
  'fhir-version': { type: 'string' },
  'token-ttl': { type: 'string' },
  'token-format': { type: 'string' },
  'max-subscriptions': { type: 'string' },
  'public-url': { type: 'string' },
  'bearer-token': { type: 'string', multiple: true },
  preset: { type: 'string' },
  tls: { type: 'boolean' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  fault: { type: 'string', multiple: true },
  'list-faults': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

class UsageError extends Error {}

function parseCommandLine(argv: string[]): { options: ReferenceServerOptions; action: 'run' | 'help' | 'list-faults' } {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { options: {}, action: 'help' };
  if (values['list-faults']) return { options: {}, action: 'list-faults' };
  const options: ReferenceServerOptions = {};
  if (values.host !== undefined) options.host = values.host;
  if (values.port !== undefined) options.port = integerFlag('--port', values.port);
  if (values['base-path'] !== undefined) options.basePath = values['base-path'];
  if (values['fhir-version'] !== undefined) options.fhirVersion = values['fhir-version'] as ReferenceServerOptions['fhirVersion'];
  if (values['token-ttl'] !== undefined) options.tokenTtlSeconds = integerFlag('--token-ttl', values['token-ttl']);
  if (values['token-format'] !== undefined) options.tokenFormat = values['token-format'] as ReferenceServerOptions['tokenFormat'];
  if (values['max-subscriptions'] !== undefined) options.maxSubscriptions = integerFlag('--max-subscriptions', values['max-subscriptions']);
  if (values['public-url'] !== undefined) options.publicUrl = values['public-url'];
  if (values['bearer-token'] !== undefined) options.bearerToken = oneOrList(values['bearer-token']);
  if (values.preset !== undefined) options.preset = values.preset as ReferenceServerOptions['preset'];
  if (values.fault !== undefined) options.faults = values.fault;
  const tls = tlsFromFlags(values.tls === true, values['tls-cert'], values['tls-key']);
  if (tls) options.tls = tls;
  return { options, action: 'run' };
}

function tlsFromFlags(bundled: boolean, certFile: string | undefined, keyFile: string | undefined): TlsMaterial | undefined {
  if (bundled && (certFile !== undefined || keyFile !== undefined)) throw new UsageError('--tls uses the bundled certificate; give either --tls or --tls-cert with --tls-key');
  if (bundled) return bundledTls();
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) throw new UsageError('--tls-cert and --tls-key go together');
  return { cert: readPem('--tls-cert', certFile), key: readPem('--tls-key', keyFile) };
}

function readPem(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** A single --bearer-token stays a plain string, so one identity behaves (and is checked) as it always was. */
function oneOrList(values: string[]): string | string[] {
  return values.length === 1 ? values[0]! : values;
}

function integerFlag(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number, got "${value}"`);
  return Number(value);
}

function listFaults(): string {
  return FAULT_TABLE.map((entry) => `${entry.name.padEnd(30)} ${entry.kind.padEnd(8)} ${entry.description}`).join('\n');
}

/** How many identities, never a token. */
function restAuthSummary(identities: number): string {
  if (identities === 1) return 'Authorization: Bearer <the --bearer-token value> (1 identity)';
  return `Authorization: Bearer <one of the --bearer-token values> (${identities} identities, each seeing only the Subscriptions it created)`;
}

async function main(argv: string[]): Promise<void> {
  const { options, action } = parseCommandLine(argv);
  if (action === 'help') return void console.log(USAGE);
  if (action === 'list-faults') return void console.log(listFaults());
  const server = await startReferenceServer(options);
  const { fhirVersion, faults, tokenFormat, tokenTtlSeconds, preset, bearerTokens } = server.options;
  console.log(`fhir-ws-reference-server ${fhirVersion} listening`);
  console.log(`  FHIR base:     ${server.url}`);
  console.log(`  websocket:     ${server.websocketUrl}`);
  console.log(`  tokens:        ${tokenFormat}, ${tokenTtlSeconds} s`);
  if (bearerTokens !== undefined) console.log(`  REST auth:     ${restAuthSummary(bearerTokens.length)}`);
  if (preset !== undefined) console.log(`  preset:        ${preset}`);
  if (faults.length > 0) console.log(`  faults:        ${faults.join(', ')}`);
  if (server.options.tls) console.log('  TLS:           on (clients must trust its certificate; the bundled one is signed by reference-server/tls/test-ca.pem)');
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage = error instanceof UsageError || error instanceof ReferenceServerOptionError;
  const message = error instanceof Error ? error.message : String(error);
  console.error(`fhir-ws-reference-server: ${message}${usage ? ' (see --help)' : ''}`);
  process.exit(usage ? 2 : 1);
});
