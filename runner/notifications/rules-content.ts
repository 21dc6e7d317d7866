/**
 * Content-level rules for event notifications (payloads.html, mirrored in R5): what an `empty`,
 * `id-only` or `full-resource` notification may and must carry (NB-06, NB-07, NB-08).
 */
import { describeValue } from '../validator/describe-value.js';
import type { NotificationIssue, NotificationRule, RuleContext } from './issue.js';
import { isObject, statusResourceOf, type NotificationEventView } from './normalize.js';

export const contentLevel: NotificationRule = (context) => {
  const { view, options } = context;
  if (!view || !options.content || view.type !== 'event-notification') return [];
  if (options.content === 'empty') return emptyContent(context);
  if (options.content === 'id-only') return idOnlyContent(context);
  return fullResourceContent(context);
};

function emptyContent({ view, entries }: RuleContext): NotificationIssue[] {
  const issues: NotificationIssue[] = [];
  const withFocus = (view?.events ?? []).map((event, i) => (event.focus !== undefined || event.additionalContext ? i : -1)).filter((i) => i >= 0);
  if (withFocus.length > 0) {
    issues.push({
      rule: 'NB-06.focus',
      requirement: 'NB-06',
      level: 'SHALL NOT',
      message: 'With empty content, notification events carry no focus and no additionalContext.',
      expected: 'no focus, no additionalContext',
      actual: `focus or additionalContext on notificationEvent ${withFocus.join(', ')}`,
    });
  }
  const others = otherEntries(entries);
  if (others.length > 0) {
    issues.push({
      rule: 'NB-06.entries',
      requirement: 'NB-06',
      level: 'SHALL NOT',
      message: 'With empty content, the Bundle holds no entry besides the status.',
      expected: 'only the status entry',
      actual: `${others.length} other ${others.length === 1 ? 'entry' : 'entries'} (${describeEntries(others)})`,
    });
  }
  return issues;
}

function idOnlyContent({ view, entries }: RuleContext): NotificationIssue[] {
  const issues = focusRequired(view?.events ?? [], 'NB-07', 'id-only');
  const withResource = otherEntries(entries).filter(({ entry }) => isObject(entry) && entry.resource !== undefined);
  if (withResource.length > 0) {
    issues.push({
      rule: 'NB-07.no-resource',
      requirement: 'NB-07',
      level: 'SHALL',
      message: 'With id-only content, entries other than the status carry fullUrl and request only, no resource.',
      expected: 'no entry.resource besides the status',
      actual: `a resource in ${describeEntries(withResource)}`,
    });
  }
  return issues;
}

function fullResourceContent({ view, entries }: RuleContext): NotificationIssue[] {
  const events = view?.events ?? [];
  const issues = focusRequired(events, 'NB-08', 'full-resource');
  const others = otherEntries(entries);
  for (const focus of events.map((event) => event.focus).filter((f): f is string => f !== undefined)) {
    const found = others.find(({ entry }) => entryIsResource(entry, focus));
    if (found && hasResourceOrExplanation(found.entry)) continue;
    issues.push({
      rule: 'NB-08.focus-entry',
      requirement: 'NB-08',
      level: 'SHALL',
      message: 'With full-resource content, the Bundle includes the focus resource (or, when it cannot, entry.request and/or entry.response).',
      expected: `an entry for ${focus} with its resource`,
      actual: found ? `entry[${found.index}] for ${focus} with neither resource, request nor response` : `no entry for ${focus} (${describeEntries(others) || 'no entries besides the status'})`,
    });
  }
  return issues;
}

/** id-only and full-resource: every event names its focus; an event notification without events names none. */
function focusRequired(events: NotificationEventView[], requirement: 'NB-07' | 'NB-08', content: string): NotificationIssue[] {
  const missing = events.map((event, i) => (event.focus === undefined ? i : -1)).filter((i) => i >= 0);
  if (events.length > 0 && missing.length === 0) return [];
  return [
    {
      rule: `${requirement}.focus`,
      requirement,
      level: 'SHALL',
      message: `With ${content} content, each notification event references its focus resource.`,
      expected: 'notificationEvent.focus on every event',
      actual: events.length === 0 ? 'an event-notification with no notificationEvent' : `no focus on notificationEvent ${missing.join(', ')}`,
    },
  ];
}

interface IndexedEntry {
  entry: unknown;
  index: number;
}

function otherEntries(entries: unknown[]): IndexedEntry[] {
  return entries.map((entry, index) => ({ entry, index })).filter(({ entry }) => !statusResourceOf(entry));
}

function describeEntries(list: IndexedEntry[]): string {
  return list
    .slice(0, 5)
    .map(({ entry, index }) => `entry[${index}]${isObject(entry) && isObject(entry.resource) ? ` ${describeValue(entry.resource)}` : ''}`)
    .concat(list.length > 5 ? ['…'] : [])
    .join(', ');
}

/** Does this entry stand for the referenced resource? By fullUrl suffix or by resource type and id. */
function entryIsResource(entry: unknown, reference: string): boolean {
  if (!isObject(entry)) return false;
  const wanted = withoutHistory(reference);
  const typeAndId = /([A-Za-z]+\/[A-Za-z0-9\-.]{1,64})$/.exec(wanted)?.[1];
  if (typeof entry.fullUrl === 'string') {
    const fullUrl = withoutHistory(entry.fullUrl);
    if (fullUrl === wanted || (typeAndId !== undefined && fullUrl.endsWith(`/${typeAndId}`))) return true;
  }
  const resource = isObject(entry.resource) ? entry.resource : undefined;
  return resource !== undefined && typeAndId === `${String(resource.resourceType)}/${String(resource.id)}`;
}

function hasResourceOrExplanation(entry: unknown): boolean {
  return isObject(entry) && (isObject(entry.resource) || isObject(entry.request) || isObject(entry.response));
}

function withoutHistory(reference: string): string {
  return reference.trim().replace(/\/_history\/[^/]+$/, '');
}
