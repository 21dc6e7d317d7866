/**
 * The typed scenario model: what the loader (load.ts) produces from a suites/*.yaml file and
 * what the engine executes. Strings may contain ${var} interpolations; the loader has already
 * checked that every variable is defined before use. Every node keeps its YAML location so
 * errors and Playwright steps point at the user's file.
 */
import type { Level } from '../checks/check-record.js';
import type { SourceLocation } from '../errors.js';

export type FhirVersion = 'R4' | 'R4B' | 'R5';

/** Capabilities a scenario may need; unmet → skipped with a sentence saying why. */
export type Capability =
  | 'create-subscriptions' // the suite may create/delete Subscriptions (else config ids are used)
  | 'topic' // a usable SubscriptionTopic (or R4 criteria) that the suite can trigger
  | 'trigger-events' // the suite can create a resource that fires the topic
  | 'two-subscriptions' // at least two websocket Subscriptions available
  | 'rest-hook-subscription' // a non-websocket Subscription for negative checks
  | 'delete-subscriptions' // the suite may delete a Subscription mid-scenario
  | 'other-identity'; // a second identity that must not access the main identity's Subscriptions

/** Whose credentials a REST step sends: the run's (main, the default) or auth.otherIdentity's. */
export type Identity = 'main' | 'other';

export interface ScenarioFile {
  file: string; // path relative to the project root, e.g. suites/02-invocation.yaml
  chapter: string; // e.g. "invocation"
  title: string;
  scenarios: Scenario[];
}

export interface Scenario {
  id: string; // stable, dotted: chapter.section.case
  title: string;
  description?: string; // what it checks and why, for the report
  requirements: string[]; // ids from suites/requirements.csv
  level: Level; // default level of its checks
  fhirVersions?: FhirVersion[]; // default: all
  preconditions: Capability[];
  fixtures: Fixture[];
  steps: Step[];
  location: SourceLocation;
  file: string;
  /** The `chapter:` of its file (e.g. "invocation"): the one meaning of "chapter" in results and reports. */
  chapter?: string;
  /**
   * Runs after every other selected scenario has finished: it does something to the server (say, a
   * connection dropped without a close) whose damage, on a faulty server, must not reach scenarios
   * running beside it — one defect, one failure, in the scenario that caused it.
   */
  runsLast?: boolean;
}

/** A Subscription created before the scenario and deleted after it, even on failure. */
export interface SubscriptionFixture {
  subscription: string; // variable name; ${name.id}, ${name.reference} become available
  channel: 'websocket' | 'rest-hook';
  content?: 'empty' | 'id-only' | 'full-resource';
  heartbeatPeriod?: number; // seconds
  /** The notification MIME type asked for (R5 contentType, backport channel.payload); default application/fhir+json. */
  contentType?: string;
  /** A refusal at creation (4xx) is legitimate here: skip the scenario with this reason, recording `record: refused`. */
  ifRefused?: { skip: string; record?: string };
  location: SourceLocation;
}
export type Fixture = SubscriptionFixture;

/** Duration literal as written ("500ms", "2s", "1.5s") already converted to milliseconds. */
export type Millis = number;

interface StepBase {
  name?: string; // optional label; the engine derives one otherwise
  level?: Level; // overrides the scenario level for this step's checks
  requirement?: string; // default requirement for this step's checks
  /** JSONPath-like queries evaluated on the step's subject (response body / message), into variables. */
  capture?: Record<string, string>;
  expect?: Expectation;
  /** Save an observation into the run's server profile (e.g. bindForms). Values are interpolated. */
  record?: Record<string, string>;
  /**
   * The id of the scenario that judges what this step checks (e.g. binding.handshake.single for a
   * forgery scenario's control handshake): when the step fails, this scenario is blocked by that
   * one, not failed — one defect, one failure.
   */
  prerequisite?: string;
  location: SourceLocation;
}

export interface HttpStep extends StepBase {
  kind: 'http';
  http: {
    method: string;
    path: string; // relative to the FHIR base, or an absolute URL
    query?: Record<string, string | string[]>;
    headers?: Record<string, string>;
    body?: unknown; // object → JSON; string → sent as is
    identity?: Identity;
  };
}

export interface ReadStep extends StepBase { kind: 'read'; read: { resourceType: string; id: string; identity?: Identity } }
export interface CreateStep extends StepBase { kind: 'create'; create: { resource: Record<string, unknown>; identity?: Identity } }
export interface DeleteStep extends StepBase { kind: 'delete'; delete: { resourceType: string; id: string; identity?: Identity } }
export interface SearchStep extends StepBase {
  kind: 'search';
  search: { resourceType: string; params?: Record<string, string | string[]>; identity?: Identity };
}

/** Invoke $get-ws-binding-token exactly as written. */
export interface OperationStep extends StepBase {
  kind: 'operation';
  operation: {
    /**
     * auto: the level of the invocation that gave this run its tokens — so a request a server would
     * refuse at an unsupported level anyway is not mistaken for a refusal of the caller. With auto,
     * `id` names the Subscription (the instance, or the one id input at type level).
     */
    level: 'type' | 'instance' | 'auto';
    id?: string; // the instance id (instance level; auto)
    /** auto: the method of the invocation that gave this run its tokens (so one refused method is not counted again). */
    method: 'POST' | 'GET' | 'auto';
    /** Input `id` parameters; for POST they form a Parameters body, for GET a query string. */
    ids?: string[];
    /** POST only: "parameters" (default) or "empty" (no body at all, Content-Length: 0). */
    body?: 'parameters' | 'empty';
    raw?: string; // POST only: send this text as the body instead (malformed-input checks)
    identity?: Identity;
  };
}

/**
 * Obtain a token for the given Subscriptions by whichever invocation the server supports
 * (so one unsupported form does not cascade). Binds variable `as` with
 * { token, expiration, websocketUrl, subscriptions, invocation, lifetimeMs }.
 */
export interface GetTokenStep extends StepBase {
  kind: 'getToken';
  getToken: {
    subscriptions: string[]; // Subscription ids
    as: string;
    /** auto: any form, the one that worked before first; instance / type: any form at that level. */
    via?: 'auto' | 'instance' | 'type' | 'instance-post' | 'instance-post-empty' | 'instance-get' | 'type-post' | 'type-get';
  };
}

export type ForgeClass =
  | 'random-same-alphabet'
  | 'change-start'
  | 'change-middle'
  | 'change-end'
  | 'flip-case'
  | 'truncate'
  | 'extend'
  | 'empty'
  | 'jwt-alg-none'
  | 'jwt-claims-changed'
  | 'jwt-signature-removed'
  | 'jwt-exp-forward';

/** Make a forged token from an issued one; skips the scenario when the class does not apply. */
export interface ForgeTokenStep extends StepBase {
  kind: 'forgeToken';
  forgeToken: { from: string; class: ForgeClass; length?: number; as: string };
}

export interface WsConnectStep extends StepBase {
  kind: 'ws.connect';
  'ws.connect': { url: string; as: string; timeout?: Millis };
}
export interface WsSendStep extends StepBase {
  kind: 'ws.send';
  'ws.send': { socket: string; text?: string; json?: unknown; binaryBase64?: string };
}

export type BindForm = 'space' | 'colon' | 'json';

export type NotificationRuleGroup = 'structure' | 'counters' | 'content';

/**
 * Send bind-with-token. form auto: the form the run found to work (config, or probed). The bind is
 * meant to leave while the token is valid; `after: expiration` says it is meant to leave after the
 * token's stated expiration (a scenario about expired tokens). A bind that left otherwise cannot
 * judge the server: its checks are blocked by the harness (runner/engine/bind-timing.ts).
 */
export interface WsBindStep extends StepBase {
  kind: 'ws.bind';
  'ws.bind': { socket: string; token: string; form?: BindForm | 'auto'; after?: 'expiration' };
}

/** What a received frame must look like to count as a match. All given fields must hold. */
export interface MessageMatcher {
  notification?: 'handshake' | 'heartbeat' | 'event-notification' | 'any';
  subscription?: string; // id or Subscription/id of the status' subscription
  json?: Assertion[]; // predicates on the parsed JSON frame
  text?: Predicate; // predicate on the raw text
  xml?: { root: string }; // well-formed XML whose root is this resource in the FHIR namespace
}

/** Eventually within T: resolves as soon as `count` matching frames have arrived. */
export interface WsExpectStep extends StepBase {
  kind: 'ws.expect';
  'ws.expect': {
    socket: string;
    within?: Millis; // default: config timeouts.handshake
    match: MessageMatcher;
    count?: number; // at least this many (default 1)
    exactly?: boolean; // and no more arrive within the window (waits the whole window)
    since?: 'open' | 'last-send'; // which frames count (default last-send)
  };
}

/** No matching frame for the whole window. */
export interface WsExpectNoneStep extends StepBase {
  kind: 'ws.expectNone';
  'ws.expectNone': { socket: string; for?: Millis /* default: config timeouts.silence */; match: MessageMatcher; since?: 'open' | 'last-send' };
}

export interface WsExpectCloseStep extends StepBase {
  kind: 'ws.expectClose';
  'ws.expectClose': { socket: string; within: Millis };
}
/**
 * Wait for matching frames and record what happened in the server profile: never fails (the
 * behaviour is the server's choice, DIGEST §8). `record` names the profile key; `values` names the
 * observations: arrived (at least `count`), more (more than `count`, with `fullWindow`), none,
 * closed (the server closed the socket before `count` arrived).
 */
export interface WsObserveStep extends StepBase {
  kind: 'ws.observe';
  'ws.observe': {
    socket: string;
    within?: Millis; // default: config timeouts.handshake
    match: MessageMatcher;
    count?: number; // default 1
    fullWindow?: boolean; // wait the whole window (to tell `arrived` from `more`)
    since?: 'open' | 'last-send' | 'now'; // now: only frames that arrive during this step
    record: string;
    values?: Partial<Record<ObservedOutcome, string>>;
  };
}
export type ObservedOutcome = 'arrived' | 'more' | 'none' | 'closed';

/**
 * Leave a bound socket idle for the run's --soak duration (skipped without it), watching one
 * Subscription's heartbeats: no gap may exceed heartbeatPeriod + tolerance (WS-08), and the
 * jitter (|gap − period|: p50, p95, max) is recorded as profile.heartbeatJitterMs.
 */
export interface WsSoakStep extends StepBase {
  kind: 'ws.soak';
  'ws.soak': { socket: string; subscription: string; heartbeatPeriod: number; tolerance?: Millis };
}

/**
 * Expect `count` event notifications for one Subscription (optionally about one focus) and bind
 * variable `as` to their numbers: { first, last, count }. With `after` (a number) or `continues`
 * (an earlier socket: the last number it received), every number must exceed it + missed; with
 * `continues`, no new event on this socket may reuse a number the earlier one received (NB-05:
 * numbers continue per Subscription, also across a reconnect).
 */
export interface WsEventsStep extends StepBase {
  kind: 'ws.events';
  'ws.events': {
    socket: string;
    subscription: string;
    focus?: string; // e.g. Patient/123: only events about it count
    within?: Millis; // default: config timeouts.handshake
    count?: number; // default 1
    since?: 'open' | 'last-send';
    after?: string; // an earlier event number (interpolated)
    continues?: string; // or an earlier socket: the numbers it received
    missed?: number; // events known to have happened in between (default 0)
    as: string;
  };
}

/**
 * Ask the server about a Subscription: `$status` (eventsSinceSubscriptionStart must be at least
 * after + missed) or `$events` (must return an event numbered strictly between `after` and `before`).
 * `continues: <socket>` stands for `after`: the last number that socket received.
 * A 4xx means the server does not offer the operation: the scenario is skipped with that reason.
 */
export interface SubscriptionQueryStep extends StepBase {
  kind: 'subscription.query';
  'subscription.query': {
    operation: 'status' | 'events';
    subscription: string;
    after?: string; // an event number seen earlier (interpolated)
    continues?: string; // or an earlier socket: the last number it received
    missed?: number; // status: events known to have happened since `after`
    before?: string; // events: exclusive upper bound (interpolated)
  };
}

/** abrupt: drop the connection without a closing handshake, as a client that vanishes (WS-15). */
export interface WsCloseStep extends StepBase { kind: 'ws.close'; 'ws.close': { socket: string; abrupt?: boolean } }

/**
 * Probe which bind forms the server accepts: for each form a fresh token and socket.
 * Passes when at least one form yields the handshake; records profile.bindForms.
 */
export interface BindFormsStep extends StepBase {
  kind: 'bindForms';
  bindForms: { subscription: string; within?: Millis /* default: config timeouts.handshake */ };
}

export interface WaitStep extends StepBase {
  kind: 'wait';
  wait: {
    duration?: Millis;
    until?: string; // an instant (interpolated), e.g. ${tok.expiration}
    offset?: Millis; // added to `until` (negative: before it)
    /** If the wait would exceed config maxWait the scenario is skipped with this reason prefix. */
    skipReason?: string;
  };
}

/** Assign variables from interpolated values. */
export interface SetStep extends StepBase { kind: 'set'; set: Record<string, string> }

export type Step =
  | HttpStep
  | ReadStep
  | CreateStep
  | DeleteStep
  | SearchStep
  | OperationStep
  | GetTokenStep
  | ForgeTokenStep
  | WsConnectStep
  | WsSendStep
  | WsBindStep
  | WsExpectStep
  | WsExpectNoneStep
  | WsExpectCloseStep
  | WsObserveStep
  | WsEventsStep
  | WsSoakStep
  | SubscriptionQueryStep
  | WsCloseStep
  | BindFormsStep
  | WaitStep
  | SetStep;

export type StepKind = Step['kind'];

/** The closed predicate set. Every predicate can be wrapped in `not`. */
export interface Predicate {
  equals?: unknown;
  matches?: string; // regular expression (JavaScript syntax)
  exists?: boolean;
  count?: number | { min?: number; max?: number };
  type?: 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';
  fhirType?: string; // FHIR primitive lexical rule: id, string, dateTime, instant, url, uri, canonical, code, integer, ...
  before?: string; // 'now' or an instant
  after?: string; // 'now' or an instant
  oneOf?: unknown[];
  contains?: unknown; // array contains value, or string contains substring
  mediaType?: string; // a Content-Type naming this media type (any case, parameters allowed, charset UTF-8 if given)
  not?: Predicate;
}

/**
 * What a predicate asks for, in words, shown in messages instead of the predicate's own rendering:
 * "expected a wss:// URL", not "expected matching /^[wW][sS][sS]:///". The predicate itself stays in
 * the check's expectedValue.
 */
export interface PredicateWording {
  expected?: string;
}

/** query + predicate (+ optional level/requirement/label/expected). */
export interface Assertion extends Predicate, PredicateWording {
  query: string; // JSONPath subset, see runner/checks/json-query.ts
  label?: string;
  level?: Level;
  requirement?: string;
  location?: SourceLocation;
}

/** A predicate on one response header, with its own level and requirement when they differ from the step's. */
export interface HeaderPredicate extends Predicate, PredicateWording {
  level?: Level;
  requirement?: string;
}

export interface Expectation {
  status?: number | string | Array<number | string>; // 200, "2xx", [400, 404, "422"]
  headers?: Record<string, HeaderPredicate>;
  body?: Assertion[];
  /** Validate the response body as Parameters against the target's OperationDefinition. */
  parameters?: 'in' | 'out';
  /**
   * Validate notification frames (ws.expect) for the FHIR version: all rules, or some groups —
   * so a scenario about events need not fail again on the bundle shape binding.handshake.single judges.
   */
  notification?: boolean | { rules: NotificationRuleGroup[] };
  /** OperationOutcome body (a SHOULD on errors, per OP-16). */
  operationOutcome?: boolean | { level: Level };
  /**
   * The body is the canonical OperationDefinition of this family (R5 core or the R4/R4B backport):
   * flags and every parameter compared, one failed check per difference.
   */
  matchesCanonical?: 'R5' | 'backport';
  /** Passes when any branch passes; `record` stores the label of the branch that passed. */
  anyOf?: Array<Expectation & { label: string }>;
  level?: Level;
  requirement?: string;
}
