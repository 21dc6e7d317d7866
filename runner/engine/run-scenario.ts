/**
 * Runs one scenario against a target and returns data: check records, the redacted transcript,
 * profile observations and the outcome. It prints nothing; the Playwright spec wraps each step in
 * test.step through `wrapStep`, and reporters render the result.
 */
import type { ProgressSink } from '../report/progress.js';
import type { CheckRecord } from '../checks/check-record.js';
import { HarnessError, ScenarioSkip } from '../errors.js';
import { reproductionFor, reproductionForSocket } from '../evidence/reproduce.js';
import type { ScenarioResult, StepResult, StepStatus } from '../report/results-types.js';
import type { TranscriptEntry, WsEventEntry } from '../evidence/transcript-types.js';
import type { Scenario, Step } from '../scenario/model.js';
import { FixtureSetupError, setUpFixtures } from './fixtures.js';
import type { RunLevel } from '../outcome/check-status.js';
import { decideOutcome, stepStatus, type EarlyEnd } from '../outcome/scenario-outcome.js';
import { ScenarioContext } from './scenario-context.js';
import { redactDeep } from './redact-result.js';
import { namedCredentials } from './credential-names.js';
import { scenarioDefinitionHash } from '../suite/definition-hash.js';
import { describeStep, runStep } from './steps/run-step.js';
import { applyRecords } from './steps/captures.js';
import type { Target } from './target.js';

/** What one step produced, already redacted: its checks and its evidence. */
export interface StepRecord {
  checks: CheckRecord[];
  evidence: TranscriptEntry[];
}

/** Wraps each step (Playwright: test.step); `body` resolves to what the step produced. */
export type StepWrapper = (title: string, step: Step, body: () => Promise<StepRecord>) => Promise<unknown>;

export interface ScenarioRun {
  result: ScenarioResult;
  profile: Record<string, unknown>;
}

const direct: StepWrapper = (_title, _step, body) => body();

export async function runScenario(scenario: Scenario, target: Target, wrapStep: StepWrapper = direct, progress?: ProgressSink): Promise<ScenarioRun> {
  const started = Date.now();
  const ctx = new ScenarioContext(scenario, target);
  ctx.progress = progress;
  let ended: EarlyEnd;
  try {
    ended = notApplicable(scenario, target) ?? (await runBody(ctx, wrapStep));
  } catch (error) {
    ended = classify(error);
  } finally {
    await ctx.cleanup();
  }
  const level = target.config.level;
  const { outcome, reason, blockedBy } = decideOutcome(ctx.checks, ended, level);
  const run: ScenarioRun = {
    result: {
      id: scenario.id,
      title: scenario.title,
      file: scenario.file,
      line: scenario.location.line,
      chapter: scenario.chapter,
      description: scenario.description,
      requirements: scenario.requirements,
      level: scenario.level,
      definitionHash: scenarioDefinitionHash(scenario),
      outcome,
      reason,
      ...(blockedBy ? { blockedBy } : {}),
      durationMs: Date.now() - started,
      checks: ctx.checks,
      steps: stepResults(ctx, level, ended),
      transcript: [...ctx.transcript.entries()],
      reproduction: ctx.reproduction.length > 0 ? ctx.reproduction : undefined,
    },
    profile: ctx.profile,
  };
  return redactDeep(run, ctx.transcript.redactor);
}

function notApplicable(scenario: Scenario, target: Target): EarlyEnd {
  if (scenario.fhirVersions && !scenario.fhirVersions.includes(target.fhirVersion)) {
    return { kind: 'skip', reason: `not applicable to ${target.fhirVersion} (applies to ${scenario.fhirVersions.join(', ')})` };
  }
  if (target.unresponsive && scenario.fixtures.length > 0) {
    return { kind: 'error', reason: `not run: the server did not answer discovery (${target.unresponsive}), so nothing could be set up` };
  }
  const unmet = unmetPrecondition(scenario, target);
  return unmet ? { kind: 'skip', reason: unmet } : undefined;
}

export function unmetPrecondition(scenario: Scenario, target: Target): string | undefined {
  for (const capability of scenario.preconditions) {
    if (!target.capabilities.has(capability)) {
      return `precondition "${capability}" not met: ${target.missingCapabilityReasons[capability] ?? 'not available on this target'}`;
    }
  }
  return undefined;
}

/**
 * Steps run in order; a step whose failure stops the scenario (a failed SHALL/DEF check, an unmet
 * prerequisite: runner/outcome/check-status.ts stopsScenario) ends it — the later steps depend on it
 * and appear in the result as not run.
 */
async function runBody(ctx: ScenarioContext, wrapStep: StepWrapper): Promise<undefined> {
  await setUpFixtures(ctx);
  for (const [index, step] of ctx.scenario.steps.entries()) {
    ctx.stepIndex = index + 1;
    ctx.currentStep = step;
    ctx.transcript.setStep(ctx.stepIndex);
    const checksBefore = ctx.checks.length;
    ctx.stepsRun = ctx.stepIndex; // started: a skip or an error thrown inside it ends the scenario here
    await wrapStep(describeStep(step, ctx.stepIndex), step, async () => {
      await runStep(step, ctx);
      // An observation is recorded only from a step whose checks held: a failed step observed nothing reliable.
      if (!ctx.checks.slice(checksBefore).some((c) => !c.passed)) applyRecords(step, ctx);
      // Redacted here too: the wrapper turns failures into messages and attachments Playwright keeps.
      const evidence = ctx.transcript.entries().filter((entry) => entry.step === ctx.stepIndex);
      return redactDeep({ checks: ctx.checks.slice(checksBefore), evidence }, ctx.transcript.redactor);
    });
    ctx.stepsCompleted = ctx.stepIndex;
    if (ctx.checks.slice(checksBefore).some((c) => !c.passed)) addReproduction(ctx);
    if (ctx.stepStopsScenario(checksBefore)) break;
  }
  return undefined;
}

/**
 * Every step of the scenario as data: those that ran with their checks and evidence; the one a skip or
 * an error interrupted as skipped or error; the rest not run.
 */
function stepResults(ctx: ScenarioContext, level: RunLevel, ended: EarlyEnd): StepResult[] {
  const entries = ctx.transcript.entries();
  const status = (index: number, checks: CheckRecord[]): StepStatus => {
    if (index > ctx.stepsRun) return 'not-run';
    if (index > ctx.stepsCompleted && ended) return ended.kind === 'skip' ? 'skipped' : 'error';
    return stepStatus(checks, level);
  };
  return ctx.scenario.steps.map((step, i) => {
    const index = i + 1;
    const checks = ctx.checks.filter((c) => c.step === index);
    return {
      index,
      kind: step.kind,
      name: describeStep(step, index),
      location: step.location,
      status: status(index, checks),
      checks,
      evidence: entries.filter((entry) => entry.step === index).map((entry) => entry.seq),
    };
  });
}

/**
 * Copy-paste lines for a failed step: curl for its HTTP exchanges; for a step on a socket, websocat
 * opening that socket's URL and sending every frame the scenario sent on it (the bind included).
 */
function addReproduction(ctx: ScenarioContext): void {
  const named = namedCredentials(ctx.target);
  const entries = ctx.transcript.entries();
  for (const entry of entries) {
    if (entry.kind === 'http' && entry.step === ctx.stepIndex) ctx.reproduction.push(reproductionFor(entry, { named }));
  }
  const socket = socketOf(ctx.currentStep);
  const opened = entries.find((e): e is WsEventEntry => e.kind === 'ws' && e.socket === socket && e.event === 'open');
  if (!socket || !opened?.url) return;
  const sent = entries.filter((e): e is WsEventEntry => e.kind === 'ws' && e.socket === socket && e.direction === 'sent' && e.data !== undefined);
  ctx.reproduction.push(reproductionForSocket(opened.url, sent.map((e) => e.data!), { named }));
}

/** The socket a websocket step works on (ws.expect, ws.bind, …), if any. */
function socketOf(step: Step | undefined): string | undefined {
  const body = step ? (step as unknown as Record<string, unknown>)[step.kind] : undefined;
  const socket = body && typeof body === 'object' ? (body as { socket?: unknown }).socket : undefined;
  return typeof socket === 'string' ? socket : undefined;
}

function classify(error: unknown): EarlyEnd {
  if (error instanceof ScenarioSkip) return { kind: 'skip', reason: error.reason };
  if (error instanceof FixtureSetupError) return { kind: 'error', reason: `setup: ${error.message}` };
  if (error instanceof HarnessError) return { kind: 'error', reason: error.message };
  const e = error as Error;
  return { kind: 'error', reason: `internal error: ${e?.stack?.split('\n').slice(0, 3).join(' ') ?? String(error)}` };
}
