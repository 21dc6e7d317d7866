/**
 * One view of a notification frame whatever its FHIR version: R5 (subscription-notification Bundle
 * with a SubscriptionStatus), R4B (history Bundle with a SubscriptionStatus), R4 (history Bundle with
 * a backport-subscription-status-r4 Parameters), and Medplum's R4 frames (history Bundle with an R4B
 * style SubscriptionStatus, sometimes several in one heartbeat). Normalising is tolerant on purpose:
 * whether the shape is right for the version is validate.ts's job, not this one's.
 */
import { renderValue } from '../checks/render.js';
import type { FhirVersion } from '../scenario/model.js';

export type NotificationShape = 'R5' | 'R4B' | 'R4-parameters' | 'R4-status-resource' | 'unknown';

export type NotificationType = 'handshake' | 'heartbeat' | 'event-notification' | 'query-status' | 'query-event';

export interface NotificationEventView {
  eventNumber?: string | number;
  timestamp?: string;
  /** The focus reference ("Patient/1"); for a focus without reference, its JSON. */
  focus?: string;
  additionalContext?: string[];
}

/** One status found in the bundle (a SubscriptionStatus resource or a status Parameters). */
export interface StatusView {
  form: 'SubscriptionStatus' | 'Parameters';
  /** Position of its entry in Bundle.entry. */
  entryIndex: number;
  /** '' when the status has no usable type. */
  type: NotificationType | string;
  status?: string;
  subscriptionReference?: string;
  subscriptionId?: string;
  topic?: string;
  eventsSinceSubscriptionStart?: string | number;
  events: NotificationEventView[];
}

/** The bundle, read through its first status (type '' when it has none). */
export interface NotificationView extends Omit<StatusView, 'form' | 'entryIndex'> {
  shape: NotificationShape;
  bundleType?: string;
  /** All Bundle.entry items, as sent. */
  entries: unknown[];
  /** Every status in the bundle, first one included (Medplum sends one per Subscription in a heartbeat). */
  statuses: StatusView[];
}

export interface NormalizeOptions {
  /** Tells R4B apart from Medplum-style R4 (both: history Bundle + SubscriptionStatus). */
  fhirVersion?: FhirVersion;
}

const STATUS_R4_PROFILE = 'backport-subscription-status-r4';
const ID_PATTERN = '[A-Za-z0-9\\-.]{1,64}';

/** null when the JSON is not a Bundle carrying any subscription status (an OperationOutcome, a pong…). */
export function normalizeNotification(json: unknown, options: NormalizeOptions = {}): NotificationView | null {
  if (!isObject(json) || json.resourceType !== 'Bundle') return null;
  const entries = Array.isArray(json.entry) ? json.entry : [];
  const statuses = entries.flatMap((entry, index) => statusOfEntry(entry, index));
  if (statuses.length === 0) return null;
  const primary = statuses[0];
  const bundleType = typeof json.type === 'string' ? json.type : undefined;
  return {
    shape: shapeOf(bundleType, primary, options.fhirVersion),
    ...(bundleType !== undefined ? { bundleType } : {}),
    type: primary.type,
    ...optional('status', primary.status),
    ...optional('subscriptionReference', primary.subscriptionReference),
    ...optional('subscriptionId', primary.subscriptionId),
    ...optional('topic', primary.topic),
    ...optional('eventsSinceSubscriptionStart', primary.eventsSinceSubscriptionStart),
    events: primary.events,
    entries,
    statuses,
  };
}

/** Whether any status in the notification names the Subscription (bare id, Subscription/id, absolute or versioned reference). */
export function matchesSubscription(view: NotificationView, idOrReference: string): boolean {
  const wanted = subscriptionIdOf(idOrReference);
  return view.statuses.some((status) =>
    wanted !== undefined ? status.subscriptionId === wanted : status.subscriptionReference === idOrReference,
  );
}

/**
 * "abc", "Subscription/abc", "https://h/fhir/Subscription/abc", "Subscription/abc/_history/2" → "abc".
 * undefined when the text names no Subscription id.
 */
export function subscriptionIdOf(reference: string): string | undefined {
  const trimmed = reference.trim().replace(/[?#].*$/, '');
  const referenceMatch = new RegExp(`(?:^|/)Subscription/(${ID_PATTERN})(?:/_history/[^/]+)?/?$`).exec(trimmed);
  if (referenceMatch) return referenceMatch[1];
  return new RegExp(`^${ID_PATTERN}$`).test(trimmed) ? trimmed : undefined;
}

/** The status resource of an entry, if it is one: a SubscriptionStatus, or a status-r4 Parameters. */
export function statusResourceOf(entry: unknown): { form: StatusView['form']; resource: Record<string, unknown> } | undefined {
  const resource = isObject(entry) && isObject(entry.resource) ? entry.resource : undefined;
  if (!resource) return undefined;
  if (resource.resourceType === 'SubscriptionStatus') return { form: 'SubscriptionStatus', resource };
  if (resource.resourceType === 'Parameters' && looksLikeStatusParameters(resource)) return { form: 'Parameters', resource };
  return undefined;
}

function statusOfEntry(entry: unknown, entryIndex: number): StatusView[] {
  const found = statusResourceOf(entry);
  if (!found) return [];
  return [found.form === 'SubscriptionStatus' ? fromStatusResource(found.resource, entryIndex) : fromStatusParameters(found.resource, entryIndex)];
}

function shapeOf(bundleType: string | undefined, primary: StatusView, fhirVersion: FhirVersion | undefined): NotificationShape {
  if (primary.entryIndex !== 0) return 'unknown';
  if (bundleType === 'subscription-notification' && primary.form === 'SubscriptionStatus') return 'R5';
  if (bundleType !== 'history') return 'unknown';
  if (primary.form === 'Parameters') return 'R4-parameters';
  return fhirVersion === 'R4' ? 'R4-status-resource' : 'R4B';
}

function fromStatusResource(resource: Record<string, unknown>, entryIndex: number): StatusView {
  const reference = referenceText(resource.subscription);
  const events = Array.isArray(resource.notificationEvent) ? resource.notificationEvent.filter(isObject).map(eventFromResource) : [];
  return {
    form: 'SubscriptionStatus',
    entryIndex,
    type: typeof resource.type === 'string' ? resource.type : '',
    ...optional('status', stringOrUndefined(resource.status)),
    ...subscriptionFields(reference),
    ...optional('topic', stringOrUndefined(resource.topic)),
    ...optional('eventsSinceSubscriptionStart', counter(resource.eventsSinceSubscriptionStart)),
    events,
  };
}

function eventFromResource(event: Record<string, unknown>): NotificationEventView {
  const context = Array.isArray(event.additionalContext) ? event.additionalContext.map(referenceText).filter(isString) : [];
  return {
    ...optional('eventNumber', counter(event.eventNumber)),
    ...optional('timestamp', stringOrUndefined(event.timestamp)),
    ...optional('focus', referenceText(event.focus)),
    ...(context.length > 0 ? { additionalContext: context } : {}),
  };
}

function fromStatusParameters(resource: Record<string, unknown>, entryIndex: number): StatusView {
  const parameters = parameterList(resource);
  const first = (name: string): Record<string, unknown> | undefined => parameters.find((p) => p.name === name);
  const reference = referenceText(first('subscription')?.valueReference);
  const events = parameters.filter((p) => p.name === 'notification-event').map(eventFromParameter);
  return {
    form: 'Parameters',
    entryIndex,
    type: stringOrUndefined(valueOf(first('type'))) ?? '',
    ...optional('status', stringOrUndefined(valueOf(first('status')))),
    ...subscriptionFields(reference),
    ...optional('topic', stringOrUndefined(valueOf(first('topic')))),
    ...optional('eventsSinceSubscriptionStart', counter(valueOf(first('events-since-subscription-start')))),
    events,
  };
}

function eventFromParameter(parameter: Record<string, unknown>): NotificationEventView {
  const parts = Array.isArray(parameter.part) ? parameter.part.filter(isObject) : [];
  const part = (name: string): Record<string, unknown> | undefined => parts.find((p) => p.name === name);
  const context = parts.filter((p) => p.name === 'additional-context').map((p) => referenceText(p.valueReference)).filter(isString);
  return {
    ...optional('eventNumber', counter(valueOf(part('event-number')))),
    ...optional('timestamp', stringOrUndefined(valueOf(part('timestamp')))),
    ...optional('focus', referenceText(part('focus')?.valueReference)),
    ...(context.length > 0 ? { additionalContext: context } : {}),
  };
}

function looksLikeStatusParameters(resource: Record<string, unknown>): boolean {
  const meta = isObject(resource.meta) ? resource.meta : {};
  const profiles = Array.isArray(meta.profile) ? meta.profile : [];
  if (profiles.some((profile) => typeof profile === 'string' && profile.includes(STATUS_R4_PROFILE))) return true;
  const names = new Set(parameterList(resource).map((p) => p.name));
  return names.has('subscription') && (names.has('type') || names.has('status'));
}

function parameterList(resource: Record<string, unknown>): Array<Record<string, unknown>> {
  return Array.isArray(resource.parameter) ? resource.parameter.filter(isObject) : [];
}

/** The value of a Parameters parameter, whatever its value[x] key. */
export function valueOf(parameter: Record<string, unknown> | undefined): unknown {
  if (!parameter) return undefined;
  const key = Object.keys(parameter).find((name) => name.startsWith('value'));
  return key === undefined ? undefined : parameter[key];
}

function subscriptionFields(reference: string | undefined): { subscriptionReference?: string; subscriptionId?: string } {
  if (reference === undefined) return {};
  const id = subscriptionIdOf(reference);
  return { subscriptionReference: reference, ...(id !== undefined ? { subscriptionId: id } : {}) };
}

function referenceText(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.reference === 'string') return value.reference;
  return renderValue(value); // bounded in length and depth: the value is the server's
}

/** integer64 counters: kept as sent (string in R5/R4B/R4, a number from servers that get it wrong). */
function counter(value: unknown): string | number | undefined {
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
