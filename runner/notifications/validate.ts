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

export function validateNotification(json: unknown, options: ValidateNotificationOptions): NotificationIssue[] {
  if (!isObject(json) || json.resourceType !== 'Bundle') return [notABundle(json, options)];
  const context = {
    bundle: json,
    entries: Array.isArray(json.entry) ? json.entry : [],
    view: normalizeNotification(json, { fhirVersion: options.fhirVersion }),
    options,
  };
  return NOTIFICATION_RULES.flatMap((rule) => rule(context));
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
