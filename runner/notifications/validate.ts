/**
 * Validate one notification frame against the bundle rules of its FHIR version and, for event
 * notifications, the Subscription's content level. Returns the defects found ([] = conformant);
 * never throws, whatever the frame holds.
 */
import { describeValue } from '../validator/describe-value.js';
import type { NotificationIssue, NotificationRule, ValidateNotificationOptions } from './issue.js';
import { isObject, normalizeNotification } from './normalize.js';
import { contentLevel } from './rules-content.js';
import { countersAdvanceProperly, countersAreStrings } from './rules-counters.js';
import {
  backportBundleType,
  backportFirstEntry,
  historyEntryRequests,
  r5BundleType,
  r5FirstEntry,
  statusTypeAndSubscription,
} from './rules-structure.js';

export type { ContentLevel, NotificationIssue, ValidateNotificationOptions } from './issue.js';

/** In the order a reader would fix them: shape first, then fields, then counters, then content. */
export const NOTIFICATION_RULES: readonly NotificationRule[] = [
  r5BundleType,
  r5FirstEntry,
  backportBundleType,
  backportFirstEntry,
  historyEntryRequests,
  statusTypeAndSubscription,
  countersAreStrings,
  countersAdvanceProperly,
  contentLevel,
];

/** The rules by concern, so a scenario can ask for the ones it is about. */
export const NOTIFICATION_RULE_GROUPS = {
  structure: [r5BundleType, r5FirstEntry, backportBundleType, backportFirstEntry, historyEntryRequests, statusTypeAndSubscription, countersAreStrings],
  counters: [countersAdvanceProperly],
  content: [contentLevel],
} as const satisfies Record<string, readonly NotificationRule[]>;

export type NotificationRuleGroup = keyof typeof NOTIFICATION_RULE_GROUPS;

export function validateNotification(json: unknown, options: ValidateNotificationOptions): NotificationIssue[] {
  const groups = options.only ?? (Object.keys(NOTIFICATION_RULE_GROUPS) as NotificationRuleGroup[]);
  if (!isObject(json) || json.resourceType !== 'Bundle') return groups.includes('structure') ? [notABundle(json, options)] : [];
  const context = {
    bundle: json,
    entries: Array.isArray(json.entry) ? json.entry : [],
    view: normalizeNotification(json, { fhirVersion: options.fhirVersion }),
    options,
  };
  const selected = new Set<NotificationRule>(groups.flatMap((group) => NOTIFICATION_RULE_GROUPS[group]));
  return NOTIFICATION_RULES.filter((rule) => selected.has(rule)).flatMap((rule) => rule(context));
}

function notABundle(json: unknown, options: ValidateNotificationOptions): NotificationIssue {
  const r5 = options.fhirVersion === 'R5';
  return {
    rule: r5 ? 'NB-01.bundle' : 'NB-02.bundle',
    requirement: r5 ? 'NB-01' : 'NB-02',
    level: 'SHALL',
    message: 'A notification is a Bundle.',
    expected: r5 ? 'a Bundle of type subscription-notification' : 'a Bundle of type history',
    actual: describeValue(json),
  };
}
