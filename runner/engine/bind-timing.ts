/**
 * Timing truth for binds: every bind is recorded against the token's stated expiration and the
 * moment the token arrived. A bind meant to leave while the token is valid that left after
 * (expiration − slack) — the harness was late, or the token was already expired on arrival — proves
 * nothing about the server: the check that would judge it becomes a prerequisite, blocked with the
 * numbers ("bound 0.4 s after the stated expiration"), never the server's failure. The same holds,
 * mirrored, for a bind meant to leave after the expiration (expiry.refused-after).
 */
import type { CheckRecord } from '../checks/check-record.js';
import type { IssuedToken } from './scenario-context.js';

/**
 * Transit and clock difference allowed between the harness and the server (DIGEST §8: "about one
 * second"): a bind that leaves within this of the stated expiration cannot be judged either way. A
 * server may legitimately refuse that close to it — Medplum's JWT exp counts whole seconds from the
 * issuing second, up to 1 s before the stated expiration (variant jwt-exp-before-expiration).
 * expiry.binds-late-in-life binds 2 s before the expiration, so the harness may be 1 s late before
 * that scenario is blocked.
 */
export const BIND_SLACK_MS = 1_000;

/** The scenario that judges an expiration already in the past on arrival (the server's finding). */
export const EXPIRATION_JUDGE = 'outputs.expiration.future-with-timezone';

export type BindIntent = 'before-expiration' | 'after-expiration';

export interface BindTiming {
  /** One sentence for the transcript: when the bind left against the token's life. */
  note: string;
  /**
   * Both instants side by side, for a failed check about what followed the bind: a reader of
   * "a handshake arrived" for an expired token needs the send time beside the stated expiration.
   */
  instants: string;
  /** Set when the bind left at a moment that cannot judge the server: who is to blame, and the numbers. */
  unjudgeable?: { prerequisite: NonNullable<CheckRecord['prerequisite']>; why: string };
  /** The token's stated expiration (epoch ms): a server may end the connection then (WS-21). */
  expiresAtMs: number;
}

/** What the timing reads of a token: its stated expiration and how long it had left when it arrived. */
type StatedLife = Pick<IssuedToken, 'expiration' | 'lifetimeMs'>;

export function bindTiming(issued: StatedLife | undefined, sentAtMs: number, intent: BindIntent): BindTiming | undefined {
  const expiresAt = issued?.expiration ? Date.parse(issued.expiration) : NaN;
  if (Number.isNaN(expiresAt)) return undefined; // no stated expiration to hold the bind against
  const obtainedAt = issued?.lifetimeMs !== undefined ? expiresAt - issued.lifetimeMs : undefined;
  const note = `bind sent ${relative(sentAtMs - expiresAt)} the token's stated expiration${obtainedAt !== undefined ? ` (the token arrived ${seconds(sentAtMs - obtainedAt)} s before the bind)` : ''}`;
  const instants = `the bind was sent ${relative(sentAtMs - expiresAt)} the token's stated expiration (bind ${new Date(sentAtMs).toISOString()}, expiration ${issued!.expiration})`;
  return { note, instants, unjudgeable: unjudgeable(expiresAt, obtainedAt, sentAtMs, intent), expiresAtMs: expiresAt };
}

/**
 * A server that closed the socket once the bound token's stated expiration had come (less the
 * slack) revoked the connection as WS-21 allows: a check that still waited on that socket needed
 * it longer than the token lived, which is the run's setup (token lifetime), not a defect.
 */
export function closedAtExpiry(timing: BindTiming, closed: { at: number; code: number; byClient: boolean } | undefined): BindTiming['unjudgeable'] {
  if (!closed || closed.byClient || closed.at < timing.expiresAtMs - BIND_SLACK_MS) return undefined;
  return {
    prerequisite: { harness: true },
    why: `the server closed the socket (code ${closed.code}) ${relative(closed.at - timing.expiresAtMs)} the token's stated expiration, as it may (WS-21): this check needed the connection longer than the token lived (use longer-lived tokens)`,
  };
}

function unjudgeable(expiresAt: number, obtainedAt: number | undefined, sentAt: number, intent: BindIntent): BindTiming['unjudgeable'] {
  // A stated expiration already past on arrival is the server's finding, judged by one scenario only.
  if (obtainedAt !== undefined && expiresAt <= obtainedAt) {
    return { prerequisite: { judgedBy: EXPIRATION_JUDGE }, why: `the token's stated expiration was already ${seconds(obtainedAt - expiresAt)} s past when it arrived` };
  }
  if (intent === 'after-expiration') {
    if (sentAt >= expiresAt + BIND_SLACK_MS) return undefined;
    return { prerequisite: { harness: true }, why: `bound ${relative(sentAt - expiresAt)} the stated expiration, meant to be at least ${seconds(BIND_SLACK_MS)} s after it` };
  }
  if (sentAt <= expiresAt - BIND_SLACK_MS) return undefined;
  return { prerequisite: { harness: true }, why: `bound ${relative(sentAt - expiresAt)} the stated expiration (within ${seconds(BIND_SLACK_MS)} s of it or later: the harness was late)` };
}

/** "0.4 s after" / "2.3 s before" */
function relative(deltaMs: number): string {
  return `${seconds(Math.abs(deltaMs))} s ${deltaMs > 0 ? 'after' : 'before'}`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
