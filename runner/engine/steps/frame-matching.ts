/**
 * Whether a received websocket frame matches a MessageMatcher: notification kind (parsed per
 * FHIR version by runner/notifications), the Subscription it is about, predicates on its JSON or
 * text. Non-JSON frames (keep-alives, OperationOutcome text) only ever match `text` matchers.
 */
import { evaluatePredicate } from '../../checks/predicates.js';
import { query } from '../../checks/json-query.js';
import type { CloseInfo, Frame } from '../../net/ws-client.js';
import { matchesSubscription, normalizeNotification } from '../../notifications/normalize.js';
import type { MessageMatcher } from '../../scenario/model.js';
import { plural } from '../../plural.js';
import { isFhirXmlResource, readXmlRoot } from '../../notifications/xml-frame.js';

export function frameMatches(frame: Frame, matcher: MessageMatcher): boolean {
  if (matcher.xml && !isFhirXmlResource(frame.text, matcher.xml.root)) return false;
  if (matcher.text && !evaluatePredicate(matcher.text, frame.text === undefined ? [] : [frame.text], new Date()).passed) return false;
  if (matcher.notification || matcher.subscription) {
    const view = frame.json === undefined ? null : normalizeNotification(frame.json);
    if (!view) return false;
    if (matcher.notification && matcher.notification !== 'any' && view.type !== matcher.notification) return false;
    if (matcher.subscription && !matchesSubscription(view, matcher.subscription)) return false;
  }
  for (const assertion of matcher.json ?? []) {
    if (frame.json === undefined) return false;
    if (!evaluatePredicate(assertion, query(frame.json, assertion.query), new Date()).passed) return false;
  }
  return true;
}

export function describeMatcher(matcher: MessageMatcher): string {
  const parts: string[] = [];
  if (matcher.notification) parts.push(matcher.notification === 'any' ? 'a notification' : `a ${matcher.notification}`);
  if (matcher.subscription) parts.push(`for Subscription ${matcher.subscription}`);
  if (matcher.json?.length) parts.push(`with ${matcher.json.map((a) => a.query).join(', ')} as specified`);
  if (matcher.text) parts.push('with matching text');
  if (matcher.xml) parts.push(`as FHIR XML with root ${matcher.xml.root}`);
  return parts.join(' ') || 'any frame';
}

/** "no handshake for Subscription a", "no frame": the matcher as something that must not arrive. */
export function describeAbsence(matcher: MessageMatcher): string {
  const some = describeMatcher(matcher);
  if (/^(a|an|any) /.test(some)) return some.replace(/^(a|an|any) /, 'no ');
  return `no frame ${some}`;
}

/** "a handshake within 5 s", "at least 2 × an event-notification …", "exactly 3 × …". */
export function describeExpectedCount(matcher: MessageMatcher, count: number, exactly: boolean | undefined, within: string): string {
  const what = describeMatcher(matcher);
  if (count === 1 && !exactly) return `${what} within ${within}`;
  return `${exactly ? 'exactly' : 'at least'} ${count} × ${what} within ${within}`;
}

/** "2 frames: #1 Bundle handshake (Subscription/a), #2 text 'keepalive …'" — for timeouts. */
export function describeFrames(frames: Frame[], redact: (s: string) => string): string {
  if (frames.length === 0) return 'no frames at all';
  const shown = frames.slice(0, 12).map((f) => `#${f.index} ${describeFrame(f, redact)}`);
  const more = frames.length > 12 ? `, … ${frames.length - 12} more` : '';
  return `${plural(frames.length, 'frame')}: ${shown.join('; ')}${more}`;
}

/** "; then the server closed the socket (code 1008 "single-bind-only")": why nothing more came. */
export function describeServerClose(closed: CloseInfo | undefined, redact: (s: string) => string): string {
  if (!closed || closed.byClient) return '';
  const reason = closed.reason ? ` ${JSON.stringify(redact(closed.reason.slice(0, 123)))}` : '';
  return `; then the server closed the socket (code ${closed.code}${reason})`;
}

function describeFrame(frame: Frame, redact: (s: string) => string): string {
  if (frame.binary) return 'binary frame';
  const view = frame.json === undefined ? null : normalizeNotification(frame.json);
  if (view) return `${view.shape} ${view.type} for ${view.subscriptionReference ?? '?'}`;
  if (frame.json === undefined && frame.text?.trimStart().startsWith('<')) return describeXml(frame.text);
  const resourceType = (frame.json as { resourceType?: unknown } | undefined)?.resourceType;
  if (typeof resourceType === 'string') return `${resourceType}`;
  const text = redact(frame.text ?? '');
  return `text ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)}`;
}

function describeXml(text: string): string {
  const view = readXmlRoot(text);
  return view.problem ? `XML text (${view.problem})` : `XML <${view.root}> in namespace ${view.namespace ?? '(none)'}`;
}
