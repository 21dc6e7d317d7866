/**
 * The resolved configuration of one run: what to test and how. Built from defaults, the optional
 * config file (config-file.ts) and CLI flags (cli/args.ts), in that order of precedence, in one place
 * (resolveRunConfig), so every consumer sees the same merged values.
 */
import type { BindForm, FhirVersion } from '../scenario/model.js';

export interface Timeouts {
  httpMs: number; // one HTTP exchange, headers and body
  connectMs: number; // websocket upgrade
  handshakeMs: number; // from bind to the expected handshakes
  silenceMs: number; // "no handshake must come" windows
}

export interface OAuth2ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}

export interface RunConfig {
  /** FHIR base URL; undefined → the embedded reference server. */
  server?: string;
  fhirVersion: FhirVersion | 'auto';
  auth: {
    bearerToken?: string;
    headers: Record<string, string>;
    oauth2?: OAuth2ClientCredentials;
    /**
     * A second identity that must NOT be able to access the Subscriptions the main identity creates
     * (scope.other-identity-refused, OP-18). Without it that scenario is skipped.
     */
    otherIdentity?: { bearerToken?: string; headers?: Record<string, string> };
  };
  subscriptions: {
    /** May the suite create and delete Subscriptions? */
    create: boolean;
    /** Merged over the suite's own Subscription body (R5 or backport shape, as the server expects). */
    template?: Record<string, unknown>;
    /** Existing Subscriptions for servers where the suite cannot create them. */
    existing: { websocket: string[]; restHook?: string };
  };
  /** Topic canonical (R5 topic, backport criteria); undefined → discovered. */
  topic?: string;
  /** The resource the suite creates to fire the topic; default a minimal Patient. */
  trigger?: Record<string, unknown>;
  bindForm: BindForm | 'auto';
  timeouts: Timeouts;
  /** Longest the suite waits for a token to expire; longer lifetimes skip the expiry checks. */
  maxWaitMs: number;
  /** --soak: how long connections.idle.survives leaves a bound socket idle; absent: that scenario is skipped. */
  soakMs?: number;
  level: 'shall' | 'should';
  redact: boolean;
  /** Options for the embedded reference server (only when `server` is undefined). */
  reference: {
    fhirVersion: FhirVersion;
    tokenTtlSeconds: number;
    faults: string[];
    tokenFormat?: 'opaque' | 'jwt';
    tls?: boolean;
    /** Set once the bundled reference server was started as the target (embedded-target.ts). */
    embedded?: boolean;
  };
}

export const DEFAULT_TIMEOUTS: Timeouts = { httpMs: 10_000, connectMs: 5_000, handshakeMs: 5_000, silenceMs: 1_500 };

export function defaultRunConfig(): RunConfig {
  return {
    fhirVersion: 'auto',
    auth: { headers: {} },
    subscriptions: { create: true, existing: { websocket: [] } },
    bindForm: 'auto',
    timeouts: { ...DEFAULT_TIMEOUTS },
    maxWaitMs: 90_000,
    level: 'shall',
    redact: true,
    reference: { fhirVersion: 'R5', tokenTtlSeconds: 4, faults: [] },
  };
}

/** Serialised into the environment so Playwright workers see exactly what the CLI resolved. */
export const RUN_CONFIG_ENV = 'FWC_RUN_CONFIG';

export function encodeRunConfig(config: RunConfig): string {
  return JSON.stringify(config);
}

export function decodeRunConfig(text: string): RunConfig {
  return { ...defaultRunConfig(), ...(JSON.parse(text) as Partial<RunConfig>) };
}
