/**
 * results.json: the machine-readable outcome of one run. Pipelines parse these names: keep them
 * stable (add fields, never rename). A JSON Schema for it lives in runner/report/results.schema.json.
 */
import type { CheckRecord, Level } from '../checks/check-record.js';
import type { TranscriptEntry } from '../evidence/transcript-types.js';
import type { SourceLocation } from '../errors.js';
import type { FhirVersion } from '../scenario/model.js';
import type { RunTiming } from './timing.js';

/** Ordered, most severe first, in runner/outcome/order.ts (OUTCOMES); the rules live in runner/outcome/. */
export type Outcome = 'passed' | 'failed' | 'blocked' | 'warning' | 'skipped' | 'error';
export type Verdict = 'conformant' | 'non-conformant' | 'error';

/** What the run learned about how the server behaves where the spec leaves it open. */
export interface ServerProfile {
  bindForms?: string[]; // accepted forms among space | colon | json
  tokenKind?: 'opaque' | 'jwt';
  tokenLifetimeSeconds?: number;
  tokenReuse?: 'reusable' | 'single-use';
  getSupported?: boolean;
  noIdsBehaviour?: string; // "token-for-all" | "refused"
  invocation?: string; // the invocation later chapters used to obtain tokens
  badTokenReaction?: string; // "operation-outcome" | "close" | "silence" | ...
  /** Set when the server has no working $get-ws-binding-token but answers the pre-R5 `bind <id>`: the sentence saying so. */
  legacyProtocol?: string;
  [key: string]: unknown;
}

export interface ScenarioResult {
  id: string;
  title: string;
  file: string;
  line?: number;
  chapter?: string;
  description?: string;
  requirements: string[];
  level: Level;
  /** What the scenario checks, hashed (runner/suite/definition-hash.ts): equal hashes, same checks. */
  definitionHash?: string;
  outcome: Outcome;
  reason?: string; // why skipped / failed / blocked / error, one sentence
  /** Blocked: the id of the scenario that judges the unmet prerequisite, or 'harness' (the harness was late). */
  blockedBy?: string;
  durationMs: number;
  /** Every check, in order (each also sits in its step in `steps`; `step` names it). */
  checks: CheckRecord[];
  /** The scenario's steps as data, in order, including those not run after a blocking failure. */
  steps?: StepResult[];
  transcript: TranscriptEntry[];
  /** Copy-paste reproduction commands (curl / websocat), redacted. */
  reproduction?: string[];
  /** reports/repro/<id>.mjs (relative to the report folder): replays the scenario (failed and warned scenarios). */
  reproductionScript?: string;
  /** With --retries, when it ran more than once: the number of attempts (the last one decided the outcome). */
  attempts?: number;
  /** Passed (or warned, or was skipped) only after failing or erring before: the earlier attempts. */
  flaky?: { earlier: Array<{ outcome: Outcome; reason?: string }> };
  /**
   * Set by applyBaseline (baseline.ts) when this scenario failed (or warned) and the baseline file
   * accepts it: the outcome stays `failed`/`warning` for all to see, but it no longer decides the
   * verdict and it is counted in summary.accepted instead of summary.failed/warnings.
   */
  accepted?: AcceptedDeviation;
}

/** A step's status: its checks' worst status at the run's level; not-run when an earlier step stopped the scenario. */
export type StepStatus = Outcome | 'not-run';

/** One step of a scenario as it ran (or did not). */
export interface StepResult {
  /** 1-based, as CheckRecord.step and TranscriptEntry.step count. */
  index: number;
  kind: string;
  /** The step's name, or one derived from its kind ("3. ws.bind control"). */
  name: string;
  /** Where the step is written in the scenario file. */
  location: SourceLocation;
  status: StepStatus;
  checks: CheckRecord[];
  /** Sequence numbers (TranscriptEntry.seq) of the evidence this step recorded. */
  evidence: number[];
}

/** One baseline entry that matched a failing scenario of this run. */
export interface AcceptedDeviation {
  reason: string;
  owner?: string;
  expires?: string; // YYYY-MM-DD, last day the acceptance holds
}

export interface RequirementCoverage {
  id: string;
  level: string;
  url: string;
  statement: string;
  scenarios: string[];
  tested: boolean;
  notTestedReason?: string;
  outcome?: Outcome | 'not-run';
}

export interface LoadSummary {
  clients: number;
  succeeded: number;
  failed: number;
  successRate: number;
  handshakeLatencyMs: { p50: number | null; p99: number | null; max: number | null };
  errors: Record<string, number>;
  durationMs: number;
  bindForm?: string;
  invocation?: string;
  subscriptions?: { used: number; created: number; deleted: number };
  heldOpenAtEnd?: number;
  /** One triggering create with every socket bound (runner/load/fan-out.ts FanOutResult). */
  fanOut?: {
    sockets: number;
    subscriptions: number;
    notified: number;
    lost: number;
    closed: number;
    latencyMs: { p50: number | null; p95: number | null; max: number | null };
    windowMs: number;
    trigger: { resourceType: string; status?: number; error?: string; answeredMs?: number };
  };
}

/** What made this run, so results stay comparable across upgrades of the tool, suite or runtime. */
export interface Provenance {
  node: string;
  playwright: string;
  /** The suite as loaded for this run (all scenarios, whatever --grep selected). */
  suite: { hash: string; scenarios: number; requirementsHash: string };
  /** The definition outputs were validated against (absent when the run never learned the FHIR version). */
  operationDefinition?: { url: string; version?: string; source: string };
}

export interface RunResults {
  tool: { name: string; version: string };
  /** --label: the run's name for people (compare and matrix show it). */
  label?: string;
  provenance?: Provenance;
  server: {
    url: string;
    fhirVersion: FhirVersion | string;
    software?: string;
    softwareVersion?: string;
    /** Set when the target was the bundled reference server (its URL changes every run; its faults do not). */
    embedded?: { faults: string[] };
  };
  invocation?: string; // the CLI line, redacted
  startedAt: string;
  finishedAt: string;
  level: 'shall' | 'should';
  verdict: Verdict;
  /**
   * Scenario counts by outcome. With a baseline, `failed` and `warnings` exclude accepted scenarios,
   * which are counted in `accepted`; the seven numbers always add up to scenarios.length (`blocked`
   * is absent in results written before the outcome existed).
   */
  summary: { passed: number; failed: number; blocked?: number; warnings: number; skipped: number; errors: number; accepted?: number };
  profile: ServerProfile;
  scenarios: ScenarioResult[];
  requirements?: RequirementCoverage[];
  /** Measured from the transcripts (timing.ts): handshake and event latency, heartbeat intervals. */
  timing?: RunTiming;
  /** --load: N concurrent clients each got a token and bound (runner/load/load-test.ts LoadResult). */
  load?: LoadSummary;
  /** Baseline bookkeeping when --baseline was given. */
  baseline?: {
    file: string;
    accepted: string[]; // scenario ids whose failure the baseline accepted
    stale: string[]; // entries whose scenario passed: no longer needed (verdict: non-conformant)
    expired: string[]; // entries past their `expires` date (verdict: non-conformant)
    notRun?: string[]; // scenario absent from this run (shards, --grep) or skipped/errored: not checked, no effect
  };
}
