/**
 * Bundle structure rules: the notification Bundle's type and first entry per FHIR version (NB-01,
 * NB-02), entry.request in history bundles (NB-03), and the status' type and subscription (NB-04).
 */
import { describeValue } from '../validator/describe-value.js';
import { issue, type NotificationIssue, type NotificationRule, type RuleContext } from './issue.js';
import { isObject, statusResourceOf, valueOf } from './normalize.js';

export const NOTIFICATION_TYPES = ['handshake', 'heartbeat', 'event-notification', 'query-status', 'query-event'];
const TYPE_LIST = NOTIFICATION_TYPES.join(', ');

export const r5BundleType: NotificationRule = ({ bundle, options }) => {
  if (options.fhirVersion !== 'R5' || bundle.type === 'subscription-notification') return [];
  return issue({
    rule: 'NB-01.bundle-type',
    requirement: 'NB-01',
    level: 'SHALL',
    message: 'An R5 notification is a Bundle of type subscription-notification.',
    expected: 'Bundle.type "subscription-notification"',
    actual: `Bundle.type ${describeValue(bundle.type)}`,
  });
};

export const r5FirstEntry: NotificationRule = ({ entries, options }) => {
  if (options.fhirVersion !== 'R5' || firstResourceType(entries) === 'SubscriptionStatus') return [];
  return issue({
    rule: 'NB-01.first-entry',
    requirement: 'NB-01',
    level: 'SHALL',
    message: 'The first entry of an R5 notification Bundle is a SubscriptionStatus (bdl-13).',
    expected: 'entry[0].resource a SubscriptionStatus',
    actual: describeFirstEntry(entries),
  });
};

export const backportBundleType: NotificationRule = ({ bundle, options }) => {
  if (options.fhirVersion === 'R5' || bundle.type === 'history') return [];
  return issue({
    rule: 'NB-02.bundle-type',
    requirement: 'NB-02',
    level: 'SHALL',
    message: `A ${options.fhirVersion} (backport) notification is a Bundle of type history.`,
    expected: 'Bundle.type "history"',
    actual: `Bundle.type ${describeValue(bundle.type)}`,
  });
};

export const backportFirstEntry: NotificationRule = ({ entries, options }) => {
  if (options.fhirVersion === 'R5') return [];
  const found = statusResourceOf(entries[0]);
  if (options.fhirVersion === 'R4B' && found?.form === 'SubscriptionStatus') return [];
  if (options.fhirVersion === 'R4' && found?.form === 'Parameters') return [];
  const r4 = options.fhirVersion === 'R4';
  return issue({
    rule: 'NB-02.first-entry',
    requirement: 'NB-02',
    level: 'SHALL',
    message: r4
      ? 'The first entry of an R4 backport notification is a Parameters resource (profile backport-subscription-status-r4); R4 has no SubscriptionStatus resource.'
      : 'The first entry of an R4B backport notification is a SubscriptionStatus.',
    expected: r4 ? 'entry[0].resource a backport-subscription-status-r4 Parameters' : 'entry[0].resource a SubscriptionStatus',
    actual: describeFirstEntry(entries),
  });
};

/** bdl-3/bdl-4: every entry of a history Bundle has a request; the status entry's imitates $status. */
export const historyEntryRequests: NotificationRule = ({ bundle, entries, options }) => {
  if (options.fhirVersion === 'R5' || bundle.type !== 'history') return [];
  const missing = entries.map((entry, index) => (hasRequest(entry) ? -1 : index)).filter((index) => index >= 0);
  const issues: NotificationIssue[] = [];
  if (missing.length > 0) {
    issues.push({
      rule: 'NB-03.entry-request',
      requirement: 'NB-03',
      level: 'SHALL',
      message: 'Every entry of a history Bundle carries entry.request with method and url (bdl-3, bdl-4).',
      expected: 'entry.request { method, url } on every entry',
      actual: `no request on ${missing.length === 1 ? 'entry' : 'entries'} ${missing.join(', ')} of ${entries.length}`,
    });
  }
  const statusRequest = statusResourceOf(entries[0]) && hasRequest(entries[0]) ? (entries[0] as { request: { url: string } }).request : undefined;
  if (statusRequest && !statusRequest.url.includes('$status')) {
    issues.push({
      rule: 'NB-03.status-request',
      requirement: 'NB-03',
      level: 'SHALL',
      message: "The status entry's request imitates a call to $status.",
      expected: 'entry[0].request.url like "Subscription/<id>/$status"',
      actual: `entry[0].request.url ${describeValue(statusRequest.url, 120)}`,
    });
  }
  return issues;
};

/** SubscriptionStatus.type and .subscription are 1..1 (R4: the type and subscription parameters). */
export const statusTypeAndSubscription: NotificationRule = ({ entries, view }) => {
  if (!view) return [];
  return view.statuses.flatMap((status) => {
    const found = statusResourceOf(entries[status.entryIndex]);
    if (!found) return [];
    const where = `entry[${status.entryIndex}]`;
    return found.form === 'SubscriptionStatus'
      ? statusResourceFields(found.resource, where)
      : statusParameterFields(found.resource, where);
  });
};

function statusResourceFields(resource: Record<string, unknown>, where: string): NotificationIssue[] {
  const issues = checkType(resource.type, `${where} SubscriptionStatus.type`);
  if (!isObject(resource.subscription)) {
    issues.push(subscriptionIssue(`${where} SubscriptionStatus.subscription ${describeValue(resource.subscription)}`));
  }
  return issues;
}

function statusParameterFields(resource: Record<string, unknown>, where: string): NotificationIssue[] {
  const parameters = Array.isArray(resource.parameter) ? resource.parameter.filter(isObject) : [];
  const types = parameters.filter((p) => p.name === 'type');
  const subscriptions = parameters.filter((p) => p.name === 'subscription');
  const issues: NotificationIssue[] =
    types.length === 1 ? checkType(valueOf(types[0]), `${where} parameter type`) : [typeCountIssue(types.length, where)];
  if (subscriptions.length !== 1 || !isObject(subscriptions[0].valueReference)) {
    issues.push(subscriptionIssue(`${where} has ${subscriptions.length} subscription parameter(s)${subscriptions.length === 1 ? ' without valueReference' : ''}`));
  }
  return issues;
}

function checkType(value: unknown, where: string): NotificationIssue[] {
  if (typeof value === 'string' && NOTIFICATION_TYPES.includes(value)) return [];
  return issue({
    rule: 'NB-04.type',
    requirement: 'NB-04',
    level: 'DEF',
    message: 'The notification status has exactly one type from the notification-type codes.',
    expected: `one of ${TYPE_LIST}`,
    actual: `${where} ${describeValue(value)}`,
  });
}

function typeCountIssue(count: number, where: string): NotificationIssue {
  return {
    rule: 'NB-04.type',
    requirement: 'NB-04',
    level: 'DEF',
    message: 'The notification status has exactly one type from the notification-type codes.',
    expected: `exactly one type parameter (${TYPE_LIST})`,
    actual: `${where} has ${count} type parameters`,
  };
}

function subscriptionIssue(actual: string): NotificationIssue {
  return {
    rule: 'NB-04.subscription',
    requirement: 'NB-04',
    level: 'DEF',
    message: 'The notification status references its Subscription (subscription is 1..1).',
    expected: 'one subscription Reference',
    actual,
  };
}

function hasRequest(entry: unknown): boolean {
  if (!isObject(entry) || !isObject(entry.request)) return false;
  return typeof entry.request.method === 'string' && typeof entry.request.url === 'string';
}

function firstResourceType(entries: unknown[]): unknown {
  const first = entries[0];
  return isObject(first) && isObject(first.resource) ? first.resource.resourceType : undefined;
}

function describeFirstEntry(entries: unknown[]): string {
  if (entries.length === 0) return 'a Bundle with no entries';
  const first = entries[0];
  if (!isObject(first) || !isObject(first.resource)) return 'entry[0] without a resource';
  return `entry[0].resource ${describeValue(first.resource)}`;
}
