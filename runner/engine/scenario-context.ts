/**
 * Everything one scenario run holds: variables, the transcript, open sockets, the checks made so
 * far, profile observations, and the clean-up stack (run even after a failure).
 */
import type { ProgressSink } from '../report/progress.js';
import type { CheckRecord, Level } from '../checks/check-record.js';
import { stopsScenario } from '../outcome/check-status.js';
import { VariableScope } from '../checks/interpolate.js';
import { Redactor } from '../evidence/redact.js';
import { Transcript } from '../evidence/transcript.js';
import { HttpClient } from '../net/http-client.js';
import type { WsClient } from '../net/ws-client.js';
import type { Scenario, Step, SubscriptionFixture } from '../scenario/model.js';
import { closedAtExpiry, type BindTiming } from './bind-timing.js';
import type { Target } from './target.js';
import type { IssuedTokenAnswer } from '../protocol/issued-token.js';

/** A token this scenario holds: the protocol layer's reading of an answer (or a forgery). */
export type IssuedToken = IssuedTokenAnswer;

export type CleanupAction = { label: string; run: () => Promise<void> };

export class ScenarioContext {
  readonly vars = new VariableScope();
  readonly transcript: Transcript;
  readonly http: HttpClient;
  readonly sockets = new Map<string, WsClient>();
  /** Sockets a ws.close step closed: what they received stays readable (`continues:` reads their event numbers). */
  readonly closedSockets = new Map<string, WsClient>();
  readonly checks: CheckRecord[] = [];
  readonly profile: Record<string, unknown> = {};
  /** Subscription fixtures by variable name, so steps know content levels and heartbeat periods. */
  readonly fixtures = new Map<string, SubscriptionFixture & { id: string }>();
  /** Tokens this scenario obtained (by token value), to know which Subscriptions a bind covers. */
  readonly tokens = new Map<string, IssuedToken>();
  readonly reproduction: string[] = [];
  private readonly cleanups: CleanupAction[] = [];
  stepIndex = 0;
  /** Steps started (1-based count): the rest were not run, as an earlier step stopped the scenario. */
  stepsRun = 0;
  /** Steps that ran to their end (one fewer than stepsRun when a skip or an error interrupted the last). */
  stepsCompleted = 0;
  /** Per socket, its last bind held against the token's stated expiration (bind-timing.ts). */
  readonly bindTimings = new Map<string, BindTiming>();
  /** Per socket whose last bind used a forged token, what the forgery changed (forge.ts's description). */
  readonly forgedBinds = new Map<string, string>();
  /** The step running now: its location and `prerequisite:` go onto the checks it makes. */
  currentStep?: Step;

  /** Where long waits are announced while they run (the terminal reporter shows them); none in-process. */
  progress?: ProgressSink;

  constructor(
    readonly scenario: Scenario,
    readonly target: Target,
  ) {
    this.transcript = new Transcript({ redactor: new Redactor({ enabled: target.config.redact }) });
    for (const secret of target.secrets) this.transcript.redactor.add(secret);
    this.http = new HttpClient({
      baseUrl: target.baseUrl,
      headers: target.authHeaders,
      timeoutMs: target.config.timeouts.httpMs,
      transcript: this.transcript,
    });
    // The built-in variables (runner/scenario/variables.ts BUILTIN_VARIABLES).
    this.vars.set('server', { base: target.baseUrl, fhirVersion: target.fhirVersion });
    this.vars.set('now', new Date().toISOString());
    this.vars.set('config', { maxWaitMs: target.config.maxWaitMs, ...target.config.timeouts, level: target.config.level });
    this.vars.set('run', { topic: target.topic, triggerResourceType: target.triggerResourceType });
  }

  /** Registers a secret so it is masked in everything recorded before and after. */
  addSecret(secret: string): void {
    if (secret) this.transcript.redactor.add(secret);
  }

  redact(text: string): string {
    return this.transcript.redactor.redactText(text);
  }

  addCheck(check: Omit<CheckRecord, 'step' | 'at'>): CheckRecord {
    const step = this.currentStep;
    const record: CheckRecord = {
      ...check,
      step: this.stepIndex,
      at: new Date().toISOString(),
      ...(check.location ?? step?.location ? { location: check.location ?? step?.location } : {}),
      // A step marked `prerequisite: <scenario-id>` checks what that scenario judges: its failure blocks.
      ...(check.prerequisite ?? step?.prerequisite ? { prerequisite: check.prerequisite ?? { judgedBy: step!.prerequisite } } : {}),
    };
    this.checks.push(record);
    return record;
  }

  /**
   * A failed check about frames on a socket after a bind: what a forged token changed, and the
   * bind's send time beside the token's stated expiration, go beside what arrived. When the bind
   * left at a moment that cannot judge the server, the check becomes a prerequisite (the
   * harness's, or the expiration's judge).
   */
  withBindNote(socket: string, check: Omit<CheckRecord, 'step' | 'at'>): Omit<CheckRecord, 'step' | 'at'> {
    if (check.passed) return check;
    const forgery = this.forgedBinds.get(socket);
    const timing = this.bindTimings.get(socket);
    const note = [forgery && `${socket} bound a forged token: ${forgery}`, timing?.instants].filter(Boolean).join('; ');
    const noted = note ? { ...check, note } : check;
    const unjudgeable = timing && (timing.unjudgeable ?? closedAtExpiry(timing, this.sockets.get(socket)?.closed));
    if (!unjudgeable) return noted;
    return { ...noted, actual: `${check.actual}; ${unjudgeable.why}`, prerequisite: unjudgeable.prerequisite };
  }

  /** Whether a check made since `fromIndex` ends the scenario (runner/outcome/check-status.ts stopsScenario). */
  stepStopsScenario(fromIndex: number): boolean {
    return this.checks.slice(fromIndex).some(stopsScenario);
  }

  levelFor(...candidates: Array<Level | undefined>): Level {
    return candidates.find((l): l is Level => l !== undefined) ?? this.scenario.level;
  }

  onCleanup(action: CleanupAction): void {
    this.cleanups.push(action);
  }

  /** Runs clean-ups in reverse order; a failing clean-up is noted, never thrown. */
  async cleanup(): Promise<void> {
    // A polite close (1000), cut only if the server does not answer it: a dropped connection is
    // what binding.vanished-client does on purpose, and on a server that handles it badly every
    // other scenario's ending would otherwise do the same.
    await Promise.all([...this.sockets.values()].map((socket) => socket.close(1000, 'scenario finished')));
    while (this.cleanups.length > 0) {
      const action = this.cleanups.pop()!;
      try {
        await action.run();
      } catch (error) {
        this.transcript.note(`clean-up "${action.label}" failed: ${(error as Error).message}`);
      }
    }
  }
}
