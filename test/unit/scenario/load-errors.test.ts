import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { HarnessError } from '../../../runner/errors.js';
import { ScenarioLoadError, loadScenarioText, loadSuite } from '../../../runner/scenario/load.js';
import { HEAD, loadError, problemsOf, yaml } from './helpers.js';

/** A scenario whose steps start on line 12 (fixture subA defined on line 9). */
function withSteps(...steps: string[]): string {
  return yaml(
    ...HEAD,
    '  - id: binding.test.one', // 4
    '    title: A test scenario', // 5
    '    requirements: [WS-04]', // 6
    '    level: DEF', // 7
    '    fixtures:', // 8
    '      - subscription: subA', // 9
    '        channel: websocket', // 10
    '    steps:', // 11
    ...steps, // 12…
  );
}

const GET_TOKEN = '      - getToken: { subscriptions: ["${subA.id}"], as: tok }';
const CONNECT = '      - ws.connect: { url: "${tok.websocketUrl}", as: ws1 }';

test.describe('YAML syntax', () => {
  test('a syntax error names its line and column', () => {
    expect(problemsOf(yaml(...HEAD, '  - id: a.b', '    title: [unclosed'))).toEqual([
      '6:1 FWC_ERR_SCENARIO_SYNTAX YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  test('a duplicate key is a syntax error at the second key', () => {
    expect(problemsOf(yaml('chapter: a', 'chapter: b', 'title: t', 'scenarios: []'))).toEqual([
      '2:1 FWC_ERR_SCENARIO_SYNTAX YAML syntax: Map keys must be unique',
    ]);
  });

  test('an empty file is not a chapter', () => {
    expect(problemsOf('')).toEqual(['1:1 FWC_ERR_SCENARIO_SCHEMA wrong type: expected a mapping, but got null (an empty value)']);
  });
});

test.describe('schema problems', () => {
  test('unknown key with a suggestion, at the key', () => {
    expect(problemsOf(withSteps(GET_TOKEN, '        expectt: { status: 200 }'))).toEqual([
      '13:9 FWC_ERR_SCENARIO_SCHEMA unknown key "expectt" (did you mean "expect"?); a step holds one kind and name, level, requirement, capture, expect, record, prerequisite',
    ]);
  });

  test('unknown keys at the top, in a scenario and inside a step body', () => {
    const text = yaml(
      ...HEAD,
      '  - id: binding.test.one',
      '    title: t',
      '    requirement: [WS-04]',
      '    level: DEF',
      '    steps:',
      '      - ws.connect: { url: "wss://x", as: ws1, timout: 2s }',
      'chapterr: x',
    );
    expect(problemsOf(text)).toEqual([
      '4:5 FWC_ERR_SCENARIO_SCHEMA missing required field "requirements"',
      '6:5 FWC_ERR_SCENARIO_SCHEMA unknown key "requirement" (did you mean "requirements"?); expected one of id, title, description, requirements, level, fhirVersions, preconditions, fixtures, steps, runsLast',
      '9:48 FWC_ERR_SCENARIO_SCHEMA unknown key "timout" (did you mean "timeout"?); expected one of url, as, timeout',
      '10:1 FWC_ERR_SCENARIO_SCHEMA unknown key "chapterr" (did you mean "chapter"?); expected one of chapter, title, description, scenarios',
    ]);
  });

  test('missing required field, at the mapping', () => {
    expect(problemsOf(withSteps('      - ws.expect: { socket: ws1, within: 2s }'))).toContain(
      '12:20 FWC_ERR_SCENARIO_SCHEMA missing required field "match"',
    );
  });

  test('wrong type, at the value', () => {
    expect(problemsOf(withSteps('      - getToken: { subscriptions: "${subA.id}", as: tok }'))).toEqual([
      '12:36 FWC_ERR_SCENARIO_SCHEMA wrong type: expected a list, but got "${subA.id}"',
    ]);
  });

  test('bad duration', () => {
    expect(problemsOf(withSteps(GET_TOKEN, CONNECT, '      - ws.expectClose: { socket: ws1, within: 5x }'))).toEqual([
      '14:48 FWC_ERR_SCENARIO_SCHEMA bad duration: expected a duration like "500ms", "2s", "1.5s", "1m" or a number of milliseconds, but got "5x"',
    ]);
  });

  test('bad level, with a suggestion', () => {
    const text = withSteps(GET_TOKEN).replace('level: DEF', 'level: SHAL');
    expect(problemsOf(text)).toEqual([
      '7:12 FWC_ERR_SCENARIO_SCHEMA bad level: expected one of SHALL, SHALL NOT, SHOULD, MAY, DEF, but got "SHAL" (did you mean "SHALL"?)',
    ]);
  });

  test('bad enum values elsewhere', () => {
    const text = withSteps(GET_TOKEN).replace('channel: websocket', 'channel: websockt');
    expect(problemsOf(text)).toEqual([
      '10:18 FWC_ERR_SCENARIO_SCHEMA bad channel: expected one of websocket, rest-hook, but got "websockt" (did you mean "websocket"?)',
    ]);
  });

  test('bad status', () => {
    expect(problemsOf(withSteps('      - read: { resourceType: X, id: y }', '        expect: { status: 2xy }'))).toEqual([
      '13:27 FWC_ERR_SCENARIO_SCHEMA bad status: expected a code like 200, a class like "2xx", or a list of them, but got "2xy"',
    ]);
  });

  test('bad scenario id and bad variable names', () => {
    const text = withSteps('      - read: { resourceType: X, id: y }', '        capture: { bad-name: $.id }').replace(
      'binding.test.one',
      'Binding_One',
    );
    expect(problemsOf(text)).toEqual([
      '4:9 FWC_ERR_SCENARIO_SCHEMA bad scenario id: expected lowercase dotted words like binding.handshake.single, but got "Binding_One"',
      '13:20 FWC_ERR_SCENARIO_SCHEMA bad name: expected letters, digits and _, not starting with a digit, but got "bad-name"',
    ]);
  });

  test('a predicate needs exactly one predicate key', () => {
    const text = withSteps(
      '      - read: { resourceType: X, id: y }',
      '        expect:',
      '          body:',
      '            - query: $.a', // 15
      '            - { query: $.b, equals: 1, exists: true }', // 16
      '          headers:',
      '            content-type: { mathces: json }', // 18
    );
    expect(problemsOf(text)).toEqual([
      '15:15 FWC_ERR_SCENARIO_SCHEMA a predicate needs exactly one of equals, matches, exists, count, type, fhirType, before, after, oneOf, contains, mediaType, not, but found none of them',
      '16:15 FWC_ERR_SCENARIO_SCHEMA a predicate needs exactly one of equals, matches, exists, count, type, fhirType, before, after, oneOf, contains, mediaType, not, but found equals and exists',
      '18:27 FWC_ERR_SCENARIO_SCHEMA a predicate needs exactly one of equals, matches, exists, count, type, fhirType, before, after, oneOf, contains, mediaType, not, but found none of them',
      '18:29 FWC_ERR_SCENARIO_SCHEMA unknown key "mathces" (did you mean "matches"?)',
    ]);
  });

  test('field combinations: instance without id, GET with a body, type level with id, wait without a bound', () => {
    const text = withSteps(
      '      - operation: { level: instance, method: POST }', // 12
      '      - operation: { level: type, id: x, method: GET, body: empty }', // 13
      '      - wait: { skipReason: too long }', // 14
      '      - wait: { duration: 1s, offset: -1s }', // 15
      '      - ws.send: { socket: s }', // 16 (also an unknown socket)
    );
    expect(problemsOf(text)).toEqual([
      '12:20 FWC_ERR_SCENARIO_SCHEMA missing required field "id"',
      '13:39 FWC_ERR_SCENARIO_SCHEMA id names the instance of an instance-level call; a type-level call takes its Subscriptions in ids',
      '13:61 FWC_ERR_SCENARIO_SCHEMA body is for POST only; a GET has no body',
      '14:15 FWC_ERR_SCENARIO_SCHEMA wait needs duration or until, but found none of them',
      '15:39 FWC_ERR_SCENARIO_SCHEMA offset is added to until: give until too',
      '16:18 FWC_ERR_SCENARIO_SCHEMA ws.send needs exactly one of text, json, binaryBase64, but found none of them',
      '16:28 FWC_ERR_SCENARIO_UNDEFINED_VARIABLE unknown socket "s": open it first with ws.connect { as: s }',
    ]);
  });
});

test.describe('identity', () => {
  test('identity: other needs precondition other-identity; an unknown identity is named', () => {
    const text = withSteps(
      '      - read: { resourceType: Subscription, id: x, identity: other }', // 12
      '      - search: { resourceType: Subscription, identity: admin }', // 13
      '      - operation: { level: type, method: POST, identity: main }', // 14
    );
    const problems = problemsOf(text);
    expect(problems[0]).toBe('12:62 FWC_ERR_SCENARIO_SCHEMA identity: other needs the scenario precondition other-identity (without a second identity configured the scenario is then skipped)');
    expect(problems[1]).toBe('13:57 FWC_ERR_SCENARIO_SCHEMA bad identity: expected one of main, other, but got "admin"');
    expect(problems).toHaveLength(2);
  });

  test('with the precondition, identity: other loads into the step', () => {
    const text = withSteps('      - read: { resourceType: Subscription, id: x, identity: other }').replace('    fixtures:', '    preconditions: [other-identity]\n    fixtures:');
    const file = loadScenarioText(text, 'suites/test.yaml');
    const step = file.scenarios[0]!.steps[0]!;
    expect(step.kind === 'read' && step.read.identity).toBe('other');
  });
});

test.describe('step kinds', () => {
  test('unknown step kind, with a suggestion', () => {
    expect(problemsOf(withSteps(GET_TOKEN, '      - ws.conect: { url: "${tok.websocketUrl}", as: ws1 }'))).toEqual([
      '13:9 FWC_ERR_SCENARIO_SCHEMA unknown step kind "ws.conect" (did you mean "ws.connect"?); expected one of http, read, create, delete, search, operation, getToken, forgeToken, ws.connect, ws.send, ws.bind, ws.expect, ws.expectNone, ws.expectClose, ws.observe, ws.events, ws.soak, subscription.query, ws.close, bindForms, wait, set',
    ]);
  });

  test('a step with two kinds, at the second kind', () => {
    expect(problemsOf(withSteps('      - read: { resourceType: X, id: y }', '        delete: { resourceType: X, id: y }'))).toEqual([
      '13:9 FWC_ERR_SCENARIO_SCHEMA a step has two kinds, "read" and "delete": split it into one step per kind',
    ]);
  });

  test('a step with no kind', () => {
    expect(problemsOf(withSteps('      - name: nothing to do'))).toEqual([
      '12:9 FWC_ERR_SCENARIO_SCHEMA a step needs a kind: one of http, read, create, delete, search, operation, getToken, forgeToken, ws.connect, ws.send, ws.bind, ws.expect, ws.expectNone, ws.expectClose, ws.observe, ws.events, ws.soak, subscription.query, ws.close, bindForms, wait, set',
    ]);
  });
});

test.describe('queries, regular expressions, instants, templates', () => {
  test('each is reported at the string that holds it', () => {
    const text = withSteps(
      '      - read: { resourceType: X, id: y }',
      '        capture: { t: "$.parameter[?(@.name==\'token\')" }', // 13
      '        expect:',
      '          body:',
      '            - { query: $.a, matches: "((" }', // 16
      '            - { query: $.a, before: tomorrow }', // 17
      '            - { query: $.a, not: { after: yesterday } }', // 18
      '            - { query: "$.a[?(@.b==\'${subA.id}\')]", exists: true }', // 19: valid
      '            - { query: $.a, equals: "${subA.id" }', // 20
    );
    expect(problemsOf(text)).toEqual([
      `13:23 FWC_ERR_SCENARIO_SCHEMA bad query "$.parameter[?(@.name=='token')": expected "]" at the end`,
      '16:38 FWC_ERR_SCENARIO_SCHEMA bad regular expression: Invalid regular expression: /((/: Unterminated group',
      '17:37 FWC_ERR_SCENARIO_SCHEMA bad before: expected "now", an ISO date/time like 2026-01-01T00:00:00Z or ${…}, but got "tomorrow"',
      '18:43 FWC_ERR_SCENARIO_SCHEMA bad after: expected "now", an ISO date/time like 2026-01-01T00:00:00Z or ${…}, but got "yesterday"',
      '20:37 FWC_ERR_SCENARIO_SCHEMA unterminated "${" at character 1 (write "$${" for a literal "${") in "${subA.id"',
    ]);
  });
});

test.describe('variables', () => {
  test('undefined variable, with a suggestion', () => {
    expect(problemsOf(withSteps(GET_TOKEN, '      - ws.connect: { url: "${tokk.websocketUrl}", as: ws1 }'))).toEqual([
      '13:29 FWC_ERR_SCENARIO_UNDEFINED_VARIABLE undefined variable "tokk" (did you mean "tok"?) in "${tokk.websocketUrl}"',
    ]);
  });

  test('use before definition names where it is defined', () => {
    expect(problemsOf(withSteps(CONNECT, GET_TOKEN))).toEqual([
      '12:29 FWC_ERR_SCENARIO_UNDEFINED_VARIABLE variable "tok" is used before it is defined (by getToken as: at line 13)',
    ]);
  });

  test('a step cannot use what it defines itself, except in record', () => {
    expect(
      problemsOf(withSteps('      - read: { resourceType: X, id: "${v}" }', '        capture: { v: $.id }', '        record: { seen: "${v}" }')),
    ).toEqual(['12:39 FWC_ERR_SCENARIO_UNDEFINED_VARIABLE variable "v" is used before it is defined (by capture: at line 13)']);
  });

  test('members of known shapes are checked', () => {
    const text = withSteps(
      '      - getToken: { subscriptions: ["${subA.idd}"], as: tok }', // 12
      '      - forgeToken: { from: "${tok.tokne}", class: truncate, as: forged }', // 13
      '      - ws.connect: { url: "${tok.websocketUrl}", as: ws1 }', // 14
      '      - ws.bind: { socket: ws1, token: "${forged.token}" }', // 15
      '      - set: { x: "${now.iso}-${server.bse}-${config.anything}-${run.id}-${ws1.url}" }', // 16
    );
    expect(problemsOf(text)).toEqual([
      '12:38 FWC_ERR_SCENARIO_UNDEFINED_VARIABLE "${subA.idd}": subA (from fixtures) has no member "idd" (did you mean "id"?); it has id, reference',
      '13:30 FWC_ERR_SCENARIO_UNDEFINED_VARIABLE "${tok.tokne}": tok (from getToken as:) has no member "tokne" (did you mean "token"?); it has token, expiration, websocketUrl, subscriptions, invocation, lifetimeMs',
      '15:41 FWC_ERR_SCENARIO_UNDEFINED_VARIABLE "${forged.token}": forged (from forgeToken as:) is a plain value without members; write ${forged}',
      '16:20 FWC_ERR_SCENARIO_UNDEFINED_VARIABLE "${now.iso}": now (from the built-ins) is a plain value without members; write ${now}',
      '16:31 FWC_ERR_SCENARIO_UNDEFINED_VARIABLE "${server.bse}": server (from the built-ins) has no member "bse" (did you mean "base"?); it has base, fhirVersion',
    ]);
  });

  test('sockets: unknown, and used before ws.connect', () => {
    expect(problemsOf(withSteps(GET_TOKEN, '      - ws.close: { socket: ws1 }', CONNECT, '      - ws.close: { socket: ws2 }'))).toEqual([
      '13:29 FWC_ERR_SCENARIO_UNDEFINED_VARIABLE socket "ws1" is used before ws.connect opens it (at line 14)',
      '15:29 FWC_ERR_SCENARIO_UNDEFINED_VARIABLE unknown socket "ws2" (did you mean "ws1"?): open it first with ws.connect { as: ws2 }',
    ]);
  });

  test('${branch} exists after an anyOf, and in its own record', () => {
    const ok = withSteps(
      '      - read: { resourceType: X, id: y }',
      '        expect: { anyOf: [{ label: found, status: 200 }, { label: gone, status: 404 }] }',
      '        record: { outcome: "${branch}" }',
      '      - set: { again: "${branch}" }',
    );
    expect(problemsOf(ok)).toEqual([]);
    expect(problemsOf(withSteps('      - read: { resourceType: X, id: y }', '        record: { outcome: "${branch}" }'))).toEqual([
      '13:29 FWC_ERR_SCENARIO_UNDEFINED_VARIABLE undefined variable "branch" in "${branch}"',
    ]);
  });

  test('built-in names cannot be redefined; knownVariables adds built-ins', () => {
    expect(problemsOf(withSteps('      - set: { now: "x" }'))).toEqual([
      '12:16 FWC_ERR_SCENARIO_SCHEMA "now" is a built-in variable (now, server.base, server.fhirVersion, config.*, run.*): choose another name',
    ]);
    const text = withSteps('      - set: { x: "${target.name}" }');
    expect(problemsOf(text)).toHaveLength(1);
    expect(problemsOf(text, { knownVariables: ['target.*'] })).toEqual([]);
  });

  test('escaped placeholders are not variables', () => {
    expect(problemsOf(withSteps('      - set: { x: "$${not.a.variable}" }'))).toEqual([]);
  });
});

test.describe('requirements and ids', () => {
  test('unknown requirement ids, wherever they are written', () => {
    const text = withSteps(
      '      - read: { resourceType: X, id: y }',
      '        requirement: WS-05',
      '        expect:',
      '          requirement: WS-4',
      '          body: [{ query: $.a, exists: true, requirement: OP-99 }]',
    );
    expect(problemsOf(text, { requirements: new Set(['WS-04', 'WS-05', 'OP-09']) })).toEqual([
      '15:24 FWC_ERR_SCENARIO_SCHEMA bad requirement id: expected an id like WS-04, but got "WS-4"',
      '15:24 FWC_ERR_SCENARIO_UNKNOWN_REQUIREMENT unknown requirement id "WS-4" (did you mean "WS-04"?) (not in suites/requirements.csv)',
      '16:59 FWC_ERR_SCENARIO_UNKNOWN_REQUIREMENT unknown requirement id "OP-99" (did you mean "OP-09"?) (not in suites/requirements.csv)',
    ]);
    expect(problemsOf(text.replace('WS-4', 'WS-04'))).toEqual([]); // without a requirements set, ids are not checked
  });

  test('duplicate scenario id within a file names both places', () => {
    const scenario = (title: string) => [
      '  - id: binding.same',
      `    title: ${title}`,
      '    requirements: [WS-04]',
      '    level: DEF',
      '    steps: [{ read: { resourceType: X, id: y } }]',
    ];
    expect(problemsOf(yaml(...HEAD, ...scenario('first'), ...scenario('second')))).toEqual([
      '9:9 FWC_ERR_SCENARIO_DUPLICATE_ID duplicate scenario id "binding.same": already used at suites/test.yaml:4:9',
    ]);
  });

  test('a step prerequisite must name a scenario of the suite: did you mean, and never itself', () => {
    const judge = ['  - id: binding.handshake.single', '    title: judge', '    requirements: [WS-04]', '    level: DEF', '    steps: [{ read: { resourceType: X, id: y } }]'];
    const text = (prerequisite: string) => withSteps(GET_TOKEN, `        prerequisite: ${prerequisite}`).replace('scenarios:\n', `scenarios:\n${judge.join('\n')}\n`);
    expect(problemsOf(text('binding.handshake.single'))).toEqual([]);
    expect(problemsOf(text('binding.handshake.singel'))).toEqual([
      '18:23 FWC_ERR_SCENARIO_UNKNOWN_PREREQUISITE unknown prerequisite "binding.handshake.singel" (did you mean "binding.handshake.single"?): expected the id of the scenario that judges this step',
    ]);
    expect(problemsOf(text('binding.test.one'))).toEqual([
      '18:23 FWC_ERR_SCENARIO_UNKNOWN_PREREQUISITE prerequisite "binding.test.one" is this scenario itself: name the scenario that judges what this step checks',
    ]);
    expect(problemsOf(text('[a, b]'))[0]).toBe('18:23 FWC_ERR_SCENARIO_SCHEMA wrong type: expected text, but got a list: ["a","b"]');
    const loaded = loadScenarioText(text('binding.handshake.single'), 'suites/test.yaml');
    expect(loaded.scenarios[1]!.steps[0]!.prerequisite).toBe('binding.handshake.single');
    expect(loaded.scenarios[1]!.chapter).toBe(loaded.chapter);
  });

  test('duplicate scenario id across files names both files', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'fwc-suite-'));
    try {
      const file = (chapter: string) =>
        yaml(`chapter: ${chapter}`, 'title: t', 'scenarios:', '  - id: shared.id', '    title: t', '    requirements: [WS-04]', '    level: DEF', '    steps: [{ read: { resourceType: X, id: y } }]');
      writeFileSync(path.join(directory, '01-a.yaml'), file('a'));
      writeFileSync(path.join(directory, '02-b.yml'), file('b'));
      writeFileSync(path.join(directory, 'notes.txt'), 'not a suite file');
      const error = (() => {
        try {
          loadSuite(directory, { root: directory });
        } catch (caught) {
          return caught as ScenarioLoadError;
        }
        throw new Error('expected a duplicate id');
      })();
      expect(error).toBeInstanceOf(ScenarioLoadError);
      expect(error.code).toBe('FWC_ERR_SCENARIO_DUPLICATE_ID');
      expect(error.message).toBe('02-b.yml:4:9 duplicate scenario id "shared.id": already used at 01-a.yaml:4:9');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

test.describe('one error lists every problem', () => {
  test('all problems of a file, sorted, each located; the first is the error location and code', () => {
    const text = withSteps('      - ws.conect: { url: "${tok.websocketUrl}", as: ws1 }', '        expectt: {}').replace('level: DEF', 'level: SHAL');
    const error = loadError(text);
    expect(error).toBeInstanceOf(HarnessError);
    expect(error.code).toBe('FWC_ERR_SCENARIO_SCHEMA');
    expect(error.location).toEqual({ file: 'suites/test.yaml', line: 7, column: 12 });
    expect(error.problems).toHaveLength(4);
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^suites\/test\.yaml:7:12 bad level/);
    expect(lines[1]).toMatch(/^suites\/test\.yaml:12:9 unknown key "ws.conect"/);
    expect(lines[2]).toMatch(/^suites\/test\.yaml:12:28 undefined variable "tok"/);
    expect(lines[3]).toMatch(/^suites\/test\.yaml:13:9 unknown key "expectt"/);
  });

  test('an unreadable suite path is a config error', () => {
    expect(() => loadSuite('/nonexistent/suite.yaml')).toThrow(HarnessError);
    try {
      loadSuite(['/nonexistent/suite.yaml']);
    } catch (error) {
      expect((error as HarnessError).code).toBe('FWC_ERR_CONFIG');
      expect((error as HarnessError).message).toBe('cannot read suite file /nonexistent/suite.yaml: ENOENT');
    }
  });
});
