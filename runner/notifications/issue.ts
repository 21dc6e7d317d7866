/**
 * A defect found in one notification frame. The engine turns each into a failed CheckRecord;
 * `expected` and `actual` feed its "expected X, but received Y" message.
 */
import type { Level } from '../checks/check-record.js';
import type { FhirVersion } from '../scenario/model.js';
import type { NotificationView } from './normalize.js';

export interface NotificationIssue {
  /** Finer than the requirement, stable: "NB-03.status-request". */
  rule: string;
  /** Requirement id from suites/requirements.csv ("NB-03"). */
  requirement: string;
  level: Level;
  message: string;
  expected: string;
  actual: string;
}

export type ContentLevel = 'empty' | 'id-only' | 'full-resource';

export interface ValidateNotificationOptions {
  fhirVersion: FhirVersion;
  /** The Subscription's content level; content rules (NB-06/07/08) run only when it is given. */
  content?: ContentLevel;
  /**
   * Earlier frames for this Subscription on the same connection, oldest first, to check counters
   * (NB-05). Frames from other connections must not be mixed in: events that happened while no socket
   * was bound legitimately move the counter.
   */
  previous?: NotificationView[];
  /** Only the rules of these groups (validate.ts NOTIFICATION_RULE_GROUPS); default all. */
  only?: ReadonlyArray<'structure' | 'counters' | 'content'>;
}

/** What every rule receives: the frame already parsed and normalised once. */
export interface RuleContext {
  bundle: Record<string, unknown>;
  entries: unknown[];
  view: NotificationView | null;
  options: ValidateNotificationOptions;
}

export type NotificationRule = (context: RuleContext) => NotificationIssue[];

export function issue(fields: NotificationIssue): NotificationIssue[] {
  return [fields];
}
