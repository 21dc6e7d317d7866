/**
 * The JSON Schema (draft-07) of a suites/*.yaml file, built here and written to
 * suites/scenario.schema.json by write-schema.ts (a unit test fails when the file is stale).
 *
 * It is the single source of the format's shape: the loader validates every file with it (Ajv),
 * and editors use the written file for completion and hover help (add
 * `# yaml-language-server: $schema=./scenario.schema.json` at the top of a suite file).
 * Rules a schema cannot state well are the loader's: which variables are defined where, query
 * and regex syntax, duplicate ids, known requirement ids.
 *
 * `errorMessage` (a keyword editors such as VS Code show instead of their generic text) is what
 * the loader reports when an anyOf/oneOf or pattern fails, followed by ", but got …".
 * Built in TypeScript so that shared parts (predicates inside assertions, expectation fields
 * inside anyOf branches) are written once even though every object forbids unknown keys.
 */
import { PRIMITIVE_TYPES } from '../validator/fhir-datatypes.js';
import { DURATION_HINT, DURATION_PATTERN } from './duration.js';
import {
  BIND_FORMS,
  CAPABILITIES,
  CHANNELS,
  CONTENT_LEVELS,
  FHIR_VERSIONS,
  FORGE_CLASSES,
  FRAME_SINCE,
  OBSERVED_OUTCOMES,
  GET_TOKEN_VIA,
  IDENTITIES,
  LEVELS,
  NOTIFICATION_KINDS,
} from './vocabulary.js';

export type JsonSchema = Record<string, unknown>;

const ref = (name: string): JsonSchema => ({ $ref: `#/definitions/${name}` });
const text = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });
const oneOfWords = (values: readonly string[], description: string, what: string): JsonSchema => ({
  type: 'string',
  enum: [...values],
  description,
  errorMessage: `bad ${what}: expected one of ${values.join(', ')}`,
});
const closedObject = (description: string, properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  description,
  properties,
  ...(required.length > 0 ? { required } : {}),
  additionalProperties: false,
});
const listOf = (items: JsonSchema, description: string, extra: JsonSchema = {}): JsonSchema => ({
  type: 'array',
  items,
  description,
  ...extra,
});
const mapOf = (keys: JsonSchema, values: JsonSchema, description: string, extra: JsonSchema = {}): JsonSchema => ({
  type: 'object',
  propertyNames: keys,
  additionalProperties: values,
  description,
  ...extra,
});
/** Exactly one of the keys must be present (the message is the loader's and the editor's). */
const exactlyOneOf = (keys: readonly string[], errorMessage: string): JsonSchema => ({
  oneOf: keys.map((key) => ({ required: [key] })),
  errorMessage,
});

const PREDICATE_NAMES = ['equals', 'matches', 'exists', 'count', 'type', 'fhirType', 'before', 'after', 'oneOf', 'contains', 'mediaType', 'not'];

/** An assertion's `expected:` (model.ts PredicateWording). */
const EXPECTED_WORDING = text('What the predicate asks for, in words, shown in messages instead of the predicate itself ("a wss:// URL" rather than the regular expression).');

function predicateProperties(): Record<string, JsonSchema> {
  return {
    equals: { description: 'Every match is structurally equal to this value (types strict: "1" is not 1).' },
    matches: text('Every match (a string, or a number/boolean as written) contains a match of this JavaScript regular expression; unanchored, write ^…$ to anchor.'),
    mediaType: text('Every match is a Content-Type naming this media type: type/subtype in any case, parameters allowed, a charset (if any) naming UTF-8.'),
    exists: { type: 'boolean', description: 'true: the query selects at least one value (null counts); false: it selects nothing.' },
    count: {
      description: 'How many values the query selects: a whole number (exactly), or {min, max} (inclusive, either optional).',
      type: ['integer', 'object'],
      minimum: 0,
      properties: {
        min: { type: 'integer', minimum: 0, description: 'At least this many.' },
        max: { type: 'integer', minimum: 0, description: 'At most this many.' },
      },
      additionalProperties: false,
      minProperties: 1,
      errorMessage: 'bad count: expected a whole number or {min, max}',
    },
    type: oneOfWords(['string', 'number', 'boolean', 'object', 'array', 'null'], 'Every match has this JSON type.', 'type'),
    fhirType: oneOfWords(PRIMITIVE_TYPES, 'Every match passes the lexical rule of this FHIR primitive type.', 'fhirType'),
    before: text('Every match is a date/dateTime/instant earlier than this: "now" or an instant (may be ${…}).'),
    after: text('Every match is a date/dateTime/instant later than this: "now" or an instant (may be ${…}).'),
    oneOf: listOf({}, 'Every match equals one of these values.', { minItems: 1 }),
    contains: { description: 'Every match is an array holding an element equal to this, or a string containing this text.' },
    not: { ...ref('predicate'), description: 'Holds exactly when the predicate inside does not.' },
  };
}

// Each keyword applies to one JSON type only, so a union type gives one precise error, never a noisy anyOf.
const STATUS_CODE_RULES: JsonSchema = { minimum: 100, maximum: 599, pattern: '^[1-5]([0-9][0-9]|[xX][xX])$' };
const LEVEL_FIELD = oneOfWords(LEVELS, 'Conformance level: SHALL, SHALL NOT, SHOULD, MAY, or DEF (follows from a definition; weighed like SHALL).', 'level');
const REQUIREMENT_FIELD = ref('requirementId');
const EXACTLY_ONE_PREDICATE = exactlyOneOf(
  PREDICATE_NAMES,
  `a predicate needs exactly one of ${PREDICATE_NAMES.join(', ')}`,
);

function expectationProperties(): Record<string, JsonSchema> {
  return {
    status: {
      description: 'Expected HTTP status: a code (200), a class ("2xx") or a list of them ([400, 404, "4xx"]).',
      ...STATUS_CODE_RULES,
      type: ['integer', 'string', 'array'],
      items: ref('statusCode'),
      minItems: 1,
      errorMessage: 'bad status: expected a code like 200, a class like "2xx", or a list of them',
    },
    headers: mapOf(text('A response header name (case-insensitive).'), ref('headerPredicate'), 'Predicates on response headers, by header name.'),
    body: listOf(ref('assertion'), 'Assertions on the JSON body (or, in ws.expect, on the matched frames).'),
    parameters: oneOfWords(['in', 'out'], 'Validate the body as Parameters against the OperationDefinition (in or out parameters).', 'parameters'),
    notification: {
      description:
        'Validate matched notification frames for the FHIR version: true for every rule, or {rules: [...]} for some groups ' +
        '(structure: bundle type, first entry, entry.request, status fields; counters: event numbering; content: the content level).',
      type: ['boolean', 'object'],
      properties: { rules: { type: 'array', description: 'The rule groups to apply.', minItems: 1, uniqueItems: true, items: { enum: ['structure', 'counters', 'content'] } } },
      required: ['rules'],
      additionalProperties: false,
      errorMessage: 'bad notification: expected true, false or {rules: [structure | counters | content]}',
    },
    operationOutcome: {
      description: 'The body is an OperationOutcome (a SHOULD on errors, OP-16): true, or {level} to set its level.',
      type: ['boolean', 'object'],
      properties: { level: LEVEL_FIELD },
      required: ['level'],
      additionalProperties: false,
      errorMessage: 'bad operationOutcome: expected true, false or {level: …}',
    },
    matchesCanonical: oneOfWords(
      ['R5', 'backport'],
      'The body is the canonical OperationDefinition of this family (R5 core, or the backport for R4/R4B): ' +
        'id, url, code, kind, resource, levels, affectsState and every parameter (name, use, min, max, type, scope) compared.',
      'matchesCanonical',
    ),
    level: { ...LEVEL_FIELD, description: "Level of this expectation's checks." },
    requirement: { ...REQUIREMENT_FIELD, description: "Requirement id of this expectation's checks." },
  };
}

function definitions(): Record<string, JsonSchema> {
  return {
    identifier: text('A variable name: letters, digits and _, not starting with a digit.', {
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
      errorMessage: 'bad name: expected letters, digits and _, not starting with a digit',
    }),
    requirementId: text('A requirement id from suites/requirements.csv, e.g. WS-04.', {
      pattern: '^[A-Z]{2,}-[0-9]{2,}$',
      errorMessage: 'bad requirement id: expected an id like WS-04',
    }),
    duration: {
      description: `A wait bound: ${DURATION_HINT}.`,
      type: ['number', 'string'],
      minimum: 0,
      pattern: DURATION_PATTERN.replace('^-?', '^'),
      errorMessage: `bad duration: expected ${DURATION_HINT}`,
    },
    signedDuration: {
      description: `${DURATION_HINT}; negative means before.`,
      type: ['number', 'string'],
      pattern: DURATION_PATTERN,
      errorMessage: `bad duration: expected ${DURATION_HINT} (negative allowed)`,
    },
    statusCode: {
      description: 'A status code (200) or class ("2xx").',
      type: ['integer', 'string'],
      ...STATUS_CODE_RULES,
      errorMessage: 'bad status: expected a code like 200 or a class like "2xx"',
    },
    query: text('A JSONPath-subset query (runner/checks/json-query.ts): $ .key [\'key\'] [n] [-1] [*] [?(@.k==\'v\')].'),
    stringMap: mapOf(
      text('Name.'),
      { type: ['string', 'array'], items: { type: 'string' }, errorMessage: 'bad value: expected a string or a list of strings' },
      'Names to a value (a list repeats the name).',
    ),
    predicate: {
      ...closedObject('One predicate from the closed set.', predicateProperties()),
      ...EXACTLY_ONE_PREDICATE,
    },
    headerPredicate: {
      ...closedObject('One predicate on a response header, with its own level and requirement when they differ from the step\'s.', {
        ...predicateProperties(),
        level: { ...LEVEL_FIELD, description: "This check's level (default: the step's)." },
        requirement: { ...REQUIREMENT_FIELD, description: 'The requirement this check verifies (default: the step\'s).' },
        expected: EXPECTED_WORDING,
      }),
      ...EXACTLY_ONE_PREDICATE,
    },
    assertion: {
      ...closedObject('A query and one predicate on what it selects.', {
        query: { ...ref('query'), description: 'What to check, as a JSONPath-subset query.' },
        label: text('What is checked, in words (shown in reports).'),
        expected: EXPECTED_WORDING,
        level: { ...LEVEL_FIELD, description: "This check's level (default: the step's)." },
        requirement: { ...REQUIREMENT_FIELD, description: 'The requirement this check verifies.' },
        ...predicateProperties(),
      }, ['query']),
      ...EXACTLY_ONE_PREDICATE,
    },
    expectation: closedObject('What the step must observe.', {
      ...expectationProperties(),
      anyOf: listOf(ref('expectationBranch'), 'Passes when any branch passes; ${branch} then holds the label of the branch that passed (use it in record:).', { minItems: 1 }),
    }),
    expectationBranch: closedObject('One legitimate behaviour.', {
      label: text('Names the branch; becomes ${branch} when this branch passes.'),
      ...expectationProperties(),
    }, ['label']),
    matcher: closedObject('What a frame must look like to count as a match; every field given must hold.', {
      notification: oneOfWords(NOTIFICATION_KINDS, 'The kind of notification (handshake, heartbeat, event-notification) or any.', 'notification kind'),
      subscription: text("The Subscription the notification's status names: id or Subscription/id."),
      json: listOf(ref('assertion'), 'Assertions on the parsed JSON frame.'),
      text: { ...ref('predicate'), description: 'A predicate on the raw text of the frame.' },
      xml: closedObject('The frame is well-formed XML whose root element is this resource in the FHIR namespace.', {
        root: text('The root resource, e.g. Bundle.'),
      }, ['root']),
    }),
    fixture: closedObject('A Subscription created before the scenario and deleted after it.', {
      subscription: { ...ref('identifier'), description: 'Variable name: ${name.id} and ${name.reference} become available.' },
      channel: oneOfWords(CHANNELS, 'Channel type of the Subscription.', 'channel'),
      content: oneOfWords(CONTENT_LEVELS, 'Notification content level.', 'content'),
      heartbeatPeriod: { type: 'integer', minimum: 0, description: 'Heartbeat period in seconds.' },
      contentType: text('Notification MIME type asked for (R5 contentType, backport channel.payload); default application/fhir+json.'),
      ifRefused: closedObject('A refusal at creation (4xx) is legitimate: the scenario is skipped, not errored.', {
        skip: text('The skip reason.'),
        record: { ...ref('identifier'), description: 'Server-profile key set to "refused".' },
      }, ['skip']),
    }, ['subscription', 'channel']),
    step: step(),
    scenario: closedObject('One scenario: a test with a stable id.', {
      id: text('Stable dotted id (chapter.section.case), unique across all files.', {
        pattern: '^[a-z0-9]+(-[a-z0-9]+)*(\\.[a-z0-9]+(-[a-z0-9]+)*)+$',
        errorMessage: 'bad scenario id: expected lowercase dotted words like binding.handshake.single',
      }),
      title: text('One line saying what the scenario checks.'),
      description: text('What it checks and why, for the report.'),
      requirements: listOf(REQUIREMENT_FIELD, 'Requirement ids the scenario verifies.', { minItems: 1, uniqueItems: true }),
      level: { ...LEVEL_FIELD, description: 'Default level of its checks.' },
      fhirVersions: listOf(oneOfWords(FHIR_VERSIONS, 'A FHIR version.', 'FHIR version'), 'FHIR versions it applies to (default: all).', { minItems: 1, uniqueItems: true }),
      preconditions: listOf(oneOfWords(CAPABILITIES, 'A server capability the scenario needs; unmet → skipped with a reason.', 'precondition'), 'Capabilities the scenario needs.', { uniqueItems: true }),
      fixtures: listOf(ref('fixture'), 'Subscriptions created for the scenario.'),
      steps: listOf(ref('step'), 'The steps, run in order.', { minItems: 1 }),
      runsLast: { type: 'boolean', description: 'Run after every other selected scenario has finished: what it does to a faulty server must not reach scenarios beside it.' },
    }, ['id', 'title', 'requirements', 'level', 'steps']),
  };
}

/** A step: the base fields plus exactly one kind key (the loader reports kind problems itself). */
function step(): JsonSchema {
  const kinds = stepKinds();
  return {
    ...closedObject('One step: exactly one kind key (http, operation, ws.expect, …) plus optional common fields.', {
      name: text('Label for the step (derived from the kind otherwise).'),
      level: { ...LEVEL_FIELD, description: "Overrides the scenario level for this step's checks." },
      requirement: { ...REQUIREMENT_FIELD, description: "Default requirement of this step's checks." },
      capture: mapOf(ref('identifier'), ref('query'), 'Variables to set from queries on the step result (the first match).'),
      expect: { ...ref('expectation'), description: 'What the step must observe: status, headers, body assertions, validations, anyOf branches.' },
      record: mapOf(ref('identifier'), text('Interpolated value.'), 'Observations saved into the server profile (values interpolated, ${branch} included).'),
      prerequisite: text('The id of the scenario that judges what this step checks: when the step fails, this scenario is blocked by that one (not failed).'),
      ...kinds,
    }),
    ...exactlyOneOf(Object.keys(kinds), 'a step needs exactly one kind'),
  };
}

function stepKinds(): Record<string, JsonSchema> {
  const socket = text('A socket name given by ws.connect as:.');
  const identity = oneOfWords(IDENTITIES, 'Whose credentials to send: main (default) or other (auth.otherIdentity; the scenario then needs precondition other-identity).', 'identity');
  return {
    http: closedObject('A raw HTTP request.', {
      method: text('HTTP method.'),
      path: text('Relative to the FHIR base, or an absolute URL.'),
      query: { ...ref('stringMap'), description: 'Query parameters (a list repeats the name).' },
      headers: mapOf(text('Header name.'), text('Header value.'), 'Request headers.'),
      body: { description: 'An object is sent as JSON; a string is sent as is.' },
      identity,
    }, ['method', 'path']),
    read: closedObject('Read a resource.', { resourceType: text('Resource type.'), id: text('Resource id.'), identity }, ['resourceType', 'id']),
    create: closedObject('Create a resource.', { resource: { type: 'object', description: 'The resource (JSON).' }, identity }, ['resource']),
    delete: closedObject('Delete a resource.', { resourceType: text('Resource type.'), id: text('Resource id.'), identity }, ['resourceType', 'id']),
    search: closedObject('Search a resource type.', {
      resourceType: text('Resource type.'),
      params: { ...ref('stringMap'), description: 'Search parameters.' },
      identity,
    }, ['resourceType']),
    operation: {
      ...closedObject('Invoke $get-ws-binding-token exactly as written.', {
        level: oneOfWords(['type', 'instance', 'auto'], 'Type-level or instance-level URL; auto: the level of the invocation that gave this run its tokens (id then names the Subscription at either level).', 'operation level'),
        id: text('The instance id (instance level, or auto).'),
        method: oneOfWords(['POST', 'GET', 'auto'], 'HTTP method; auto: the method of the invocation that gave this run its tokens (POST unless only GET worked).', 'method'),
        ids: listOf(text('A Subscription id.'), 'Input id parameters: a Parameters body for POST, a query string for GET.'),
        body: oneOfWords(['parameters', 'empty'], 'POST only: a Parameters body (default) or no body at all.', 'body'),
        raw: text('POST only: send this text as the body instead (malformed-input checks).'),
        identity,
      }, ['level', 'method']),
      if: { properties: { level: { enum: ['instance', 'auto'] } }, required: ['level'] },
      then: { required: ['id'] },
    },
    getToken: closedObject('Obtain a token by whichever invocation the server supports.', {
      subscriptions: listOf(text('A Subscription id.'), 'The Subscriptions the token is for.', { minItems: 1 }),
      as: { ...ref('identifier'), description: 'Variable for {token, expiration, websocketUrl, subscriptions, invocation, lifetimeMs}.' },
      via: oneOfWords(GET_TOKEN_VIA, 'Which invocation: auto (default: any form, the one that worked before first), instance or type (any form at that level), or one exact form.', 'invocation'),
    }, ['subscriptions', 'as']),
    forgeToken: closedObject('Make a forged token from an issued one (the scenario is skipped when the class does not apply).', {
      from: text('The issued token, e.g. ${tok.token}.'),
      class: oneOfWords(FORGE_CLASSES, 'How to forge it.', 'forge class'),
      length: { type: 'integer', minimum: 0, description: 'Target length (truncate, extend).' },
      as: { ...ref('identifier'), description: 'Variable holding the forged token (a string).' },
    }, ['from', 'class', 'as']),
    'ws.connect': closedObject('Open a websocket.', {
      url: text('ws:// or wss:// URL, e.g. ${tok.websocketUrl}.'),
      as: { ...ref('identifier'), description: 'Socket name for later ws.* steps (also a variable with .url).' },
      timeout: { ...ref('duration'), description: 'Connect timeout.' },
    }, ['url', 'as']),
    'ws.send': {
      ...closedObject('Send one frame: exactly one of text, json, binaryBase64.', {
        socket,
        text: text('A text frame.'),
        json: { description: 'A text frame holding this value as JSON.' },
        binaryBase64: text('A binary frame, base64-encoded.'),
      }, ['socket']),
      ...exactlyOneOf(['text', 'json', 'binaryBase64'], 'ws.send needs exactly one of text, json, binaryBase64'),
    },
    'ws.bind': closedObject('Send bind-with-token.', {
      socket,
      token: text('The token, e.g. ${tok.token}.'),
      form: oneOfWords([...BIND_FORMS, 'auto'], 'Bind message form (auto: the one the run found to work).', 'bind form'),
      after: oneOfWords(['expiration'], "The bind is meant to leave after the token's stated expiration (default: while the token is valid); a bind that left otherwise is blocked by the harness, not judged.", 'bind timing'),
    }, ['socket', 'token']),
    'ws.expect': closedObject('Wait (at most `within`) until `count` matching frames have arrived.', {
      socket,
      within: { ...ref('duration'), description: 'How long to wait at most (default: the run\'s handshake timeout, timeouts.handshake).' },
      match: { ...ref('matcher'), description: 'What a frame must look like to count.' },
      count: { type: 'integer', minimum: 1, description: 'At least this many (default 1).' },
      exactly: { type: 'boolean', description: 'And no more arrive within the window (waits the whole window).' },
      since: oneOfWords(FRAME_SINCE, 'Which frames count (default last-send).', 'since'),
    }, ['socket', 'match']),
    'ws.expectNone': closedObject('No matching frame for the whole window.', {
      socket,
      for: { ...ref('duration'), description: 'The window (default: the run\'s silence window, timeouts.silence).' },
      match: { ...ref('matcher'), description: 'What a frame must look like to count.' },
      since: oneOfWords(FRAME_SINCE, 'Which frames count (default last-send).', 'since'),
    }, ['socket', 'match']),
    'ws.observe': closedObject('Wait for matching frames and record in the server profile what happened; never fails.', {
      socket,
      within: { ...ref('duration'), description: 'How long to wait at most (default: the run\'s handshake timeout).' },
      match: { ...ref('matcher'), description: 'What a frame must look like to count.' },
      count: { type: 'integer', minimum: 1, description: 'How many make "arrived" (default 1).' },
      fullWindow: { type: 'boolean', description: 'Wait the whole window, to tell "arrived" from "more".' },
      since: oneOfWords([...FRAME_SINCE, 'now'], 'Which frames count (default last-send; now: only those arriving during this step).', 'since'),
      record: { ...ref('identifier'), description: 'The server-profile key the observation is saved under.' },
      values: closedObject('Words for the observations in the profile (default: the observation itself).', Object.fromEntries(
        OBSERVED_OUTCOMES.map((outcome) => [outcome, text(`Recorded when the observation is ${outcome}.`)]),
      )),
    }, ['socket', 'match', 'record']),
    'ws.events': closedObject('Expect event notifications for one Subscription and capture their numbers ({first, last, count}); with after, they must continue the sequence.', {
      socket,
      subscription: text('The Subscription id, e.g. ${a.id}.'),
      focus: text('Only events about this focus count, e.g. Patient/${p.id}.'),
      within: { ...ref('duration'), description: 'How long to wait at most (default: the run\'s handshake timeout).' },
      count: { type: 'integer', minimum: 1, description: 'How many (default 1).' },
      since: oneOfWords(FRAME_SINCE, 'Which frames count (default last-send).', 'since'),
      after: text('An earlier event number (interpolated): every number here must exceed after + missed.'),
      continues: { ...ref('identifier'), description: 'An earlier socket (usually closed): every number here must exceed the last one it received + missed, and no new event may reuse a number it received.' },
      missed: { type: 'integer', minimum: 0, description: 'Events known to have happened since `after` / the last number `continues` received (default 0).' },
      as: { ...ref('identifier'), description: 'Variable for {first, last, count}.' },
    }, ['socket', 'subscription', 'as']),
    'ws.soak': closedObject('Leave the socket idle for the run\'s --soak duration (skipped without it), checking the heartbeat gaps and recording their jitter.', {
      socket,
      subscription: text('The Subscription whose heartbeats count.'),
      heartbeatPeriod: { type: 'integer', minimum: 1, description: 'Its heartbeatPeriod in seconds.' },
      tolerance: { ...ref('duration'), description: 'Allowed lateness per heartbeat (default 1.5s).' },
    }, ['socket', 'subscription', 'heartbeatPeriod']),
    'subscription.query': closedObject('Call $status or $events on a Subscription (a 4xx skips the scenario: not offered).', {
      operation: oneOfWords(['status', 'events'], 'Which operation.', 'operation'),
      subscription: text('The Subscription id.'),
      after: text('An event number seen earlier (interpolated). status: the count must be at least after + missed; events: an event numbered above it must come back.'),
      continues: { ...ref('identifier'), description: 'An earlier socket (usually closed): stands for after, as the last event number it received for the Subscription.' },
      missed: { type: 'integer', minimum: 0, description: 'status: events known to have happened since `after` (default 0).' },
      before: text('events: and numbered below this one (interpolated number).'),
    }, ['operation', 'subscription']),
    'ws.expectClose': closedObject('The server closes the socket within the window.', {
      socket,
      within: { ...ref('duration'), description: 'How long to wait at most.' },
    }, ['socket', 'within']),
    'ws.close': closedObject('Close the socket.', {
      socket,
      abrupt: { type: 'boolean', description: 'Drop the connection without a closing handshake (a client that vanishes).' },
    }, ['socket']),
    bindForms: closedObject('Probe which bind forms the server accepts (records profile.bindForms).', {
      subscription: text('The Subscription id, e.g. ${subA.id}.'),
      within: { ...ref('duration'), description: 'Handshake wait per form (default: timeouts.handshake).' },
    }, ['subscription']),
    wait: {
      ...closedObject('Wait a duration, or until an instant.', {
        duration: { ...ref('duration'), description: 'How long.' },
        until: text('An instant, e.g. ${tok.expiration}.'),
        offset: { ...ref('signedDuration'), description: 'Added to until (negative: before it).' },
        skipReason: text('If the wait would exceed the configured maxWait, skip the scenario with this reason.'),
      }),
      anyOf: [{ required: ['duration'] }, { required: ['until'] }],
      errorMessage: 'wait needs duration or until',
    },
    set: mapOf(ref('identifier'), text('Interpolated value.'), 'Assign variables.', { minProperties: 1 }),
  };
}

export function buildScenarioSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'fhir-ws-conformance scenario file',
    description: 'One chapter of the conformance suite (suites/*.yaml). Generated by runner/scenario/schema.ts.',
    ...closedObject('One chapter of scenarios.', {
      chapter: text('Chapter name, e.g. binding.', { pattern: '^[a-z][a-z0-9-]*$', errorMessage: 'bad chapter: expected lowercase words joined by -' }),
      title: text('Chapter title.'),
      description: text('What the chapter covers.'),
      scenarios: listOf(ref('scenario'), 'The scenarios of the chapter.', { minItems: 1 }),
    }, ['chapter', 'title', 'scenarios']),
    definitions: definitions(),
  };
}
