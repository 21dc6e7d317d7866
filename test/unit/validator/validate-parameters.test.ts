import { expect, test } from '@playwright/test';
import {
  EMPTY_PROFILE,
  MAX_STRING_BYTES,
  PARAMETER_RULES,
  canonicalOperationDefinition,
  validateParameters,
  type OperationDefinition,
  type ParameterIssue,
} from '../../../runner/validator/index.js';

const R5 = canonicalOperationDefinition('R5');
const BACKPORT = canonicalOperationDefinition('R4');

type Entry = Record<string, unknown>;

/** The example of a valid response in the spec. */
const TOKEN: Entry = { name: 'token', valueString: 'eyJhbGciOiJIUzI1NiIs.secret-part' };
const EXPIRATION: Entry = { name: 'expiration', valueDateTime: '2030-01-01T00:00:00Z' };
const SUBSCRIPTION: Entry = { name: 'subscription', valueString: 'abc' };
const WEBSOCKET_URL: Entry = { name: 'websocket-url', valueUrl: 'wss://host/ws' };

function response(...parameter: Entry[]): Record<string, unknown> {
  return { resourceType: 'Parameters', parameter };
}

function validResponse(): Record<string, unknown> {
  return response(TOKEN, EXPIRATION, SUBSCRIPTION, WEBSOCKET_URL);
}

function rules(issues: ParameterIssue[]): string[] {
  return issues.map((issue) => issue.rule);
}

function only(issues: ParameterIssue[]): ParameterIssue {
  expect(issues, JSON.stringify(issues, null, 2)).toHaveLength(1);
  return issues[0] as ParameterIssue;
}

test.describe('valid bodies', () => {
  test('the example response of the spec has no issues, for R5 and backport', () => {
    expect(validateParameters(R5, validResponse(), 'out')).toEqual([]);
    expect(validateParameters(BACKPORT, validResponse(), 'out')).toEqual([]);
  });

  test('subscription is optional and may repeat', () => {
    expect(validateParameters(R5, response(TOKEN, EXPIRATION, WEBSOCKET_URL), 'out')).toEqual([]);
    const two = response(TOKEN, EXPIRATION, SUBSCRIPTION, { name: 'subscription', valueString: 'Subscription/def' }, WEBSOCKET_URL);
    expect(validateParameters(R5, two, 'out')).toEqual([]);
  });

  test('the example type-level request with two ids has no issues', () => {
    const request = { resourceType: 'Parameters', parameter: [{ name: 'id', valueId: 'a' }, { name: 'id', valueId: 'b' }] };
    expect(validateParameters(R5, request, 'in')).toEqual([]);
    expect(validateParameters(BACKPORT, request, 'in')).toEqual([]);
  });

  test('a request without parameters is valid (id is 0..*)', () => {
    expect(validateParameters(R5, { resourceType: 'Parameters' }, 'in')).toEqual([]);
  });

  test('scope is ignored for inputs: an id is no defect whatever the level', () => {
    expect(validateParameters(R5, response({ name: 'id', valueId: 'a' }), 'in')).toEqual([]);
  });

  test('a primitive extension beside the value is allowed', () => {
    const body = response(TOKEN, { ...EXPIRATION, _valueDateTime: { id: 'x' } }, WEBSOCKET_URL);
    expect(validateParameters(R5, body, 'out')).toEqual([]);
  });
});

test.describe('body rules', () => {
  test('null body → body.resource-type (OP-10)', () => {
    const issue = only(validateParameters(R5, null, 'out'));
    expect(issue).toMatchObject({ rule: 'body.resource-type', severity: 'error', requirement: 'OP-10', actual: 'null' });
    expect(issue.message).toMatch(/expected a Parameters resource .*, but received null$/);
  });

  test('a non-Parameters resource → body.resource-type', () => {
    const issue = only(validateParameters(R5, { resourceType: 'OperationOutcome', issue: [] }, 'out'));
    expect(issue.rule).toBe('body.resource-type');
    expect(issue.actual).toBe('a "OperationOutcome" resource');
  });

  test('for inputs the body rule cites OP-03', () => {
    expect(only(validateParameters(R5, [], 'in')).requirement).toBe('OP-03');
  });

  for (const junk of [undefined, 'Parameters', 42, true, [], [validResponse()], {}]) {
    test(`junk body ${JSON.stringify(junk) ?? 'undefined'} → one issue, no throw`, () => {
      expect(only(validateParameters(R5, junk, 'out')).rule).toBe('body.resource-type');
    });
  }

  test('unknown top-level element → body.element', () => {
    const issue = only(validateParameters(R5, { ...validResponse(), text: {} }, 'out'));
    expect(issue).toMatchObject({ rule: 'body.element', path: 'Parameters.text' });
  });

  test('parameter that is not an array → list.array, plus the missing required outputs', () => {
    const issues = validateParameters(R5, { resourceType: 'Parameters', parameter: TOKEN }, 'out');
    expect(rules(issues)).toEqual(['list.array', 'cardinality.min', 'cardinality.min', 'cardinality.min']);
  });

  test('an empty parameter array → list.array', () => {
    const issues = validateParameters(R5, { resourceType: 'Parameters', parameter: [] }, 'in');
    expect(only(issues)).toMatchObject({ rule: 'list.array', path: 'Parameters.parameter' });
  });
});

test.describe('entry rules', () => {
  test('an entry that is not an object → entry.object', () => {
    const issue = only(validateParameters(R5, response(TOKEN, EXPIRATION, WEBSOCKET_URL, 'subscription' as unknown as Entry), 'out'));
    expect(issue).toMatchObject({ rule: 'entry.object', path: 'Parameters.parameter[3]' });
  });

  test('an entry without a string name → entry.name', () => {
    const issues = validateParameters(R5, response(TOKEN, EXPIRATION, WEBSOCKET_URL, { name: 5, valueString: 'x' }), 'out');
    expect(only(issues)).toMatchObject({ rule: 'entry.name', path: 'Parameters.parameter[3].name' });
  });

  test('an unknown element in an entry → entry.element', () => {
    const issues = validateParameters(R5, response({ ...TOKEN, valuee: 1 }, EXPIRATION, WEBSOCKET_URL), 'out');
    expect(only(issues)).toMatchObject({ rule: 'entry.element', path: 'Parameters.parameter[0].valuee', parameter: 'token' });
  });
});

test.describe('inv-1 (FW-01)', () => {
  test('part and value both present', () => {
    const body = response(TOKEN, EXPIRATION, { ...WEBSOCKET_URL, part: [{ name: 'x', valueString: 'y' }] });
    const issue = only(validateParameters(R5, body, 'out'));
    expect(issue).toMatchObject({ rule: 'inv-1', requirement: 'FW-01', parameter: 'websocket-url', actual: 'valueUrl and part' });
  });

  test('value and resource both present', () => {
    const body = response(TOKEN, EXPIRATION, { ...WEBSOCKET_URL, resource: { resourceType: 'Basic' } });
    expect(only(validateParameters(R5, body, 'out')).rule).toBe('inv-1');
  });

  test('two value[x] keys', () => {
    const body = response(TOKEN, EXPIRATION, { ...WEBSOCKET_URL, valueString: 'wss://host/ws' });
    expect(only(validateParameters(R5, body, 'out')).actual).toBe('valueUrl and valueString');
  });

  test('no value at all', () => {
    const issue = only(validateParameters(R5, response(TOKEN, EXPIRATION, { name: 'websocket-url' }), 'out'));
    expect(issue).toMatchObject({ rule: 'inv-1', actual: 'none of them' });
  });
});

test.describe('choice key (FW-02)', () => {
  test('token as valueInteger', () => {
    const issue = only(validateParameters(R5, response({ name: 'token', valueInteger: 12345 }, EXPIRATION, WEBSOCKET_URL), 'out'));
    expect(issue).toMatchObject({
      rule: 'value.choice-key',
      requirement: 'FW-02',
      parameter: 'token',
      path: 'Parameters.parameter[0]',
      actual: 'valueInteger',
    });
    expect(issue.message).toBe(
      'parameter "token" at Parameters.parameter[0]: expected valueString ("token" is declared as string), but received valueInteger',
    );
  });

  test('websocket-url as valueString, in R5 and in the backport alike', () => {
    for (const definition of [R5, BACKPORT]) {
      const body = response(TOKEN, EXPIRATION, { name: 'websocket-url', valueString: 'wss://host/ws' });
      expect(only(validateParameters(definition, body, 'out'))).toMatchObject({ rule: 'value.choice-key', expected: expect.stringContaining('valueUrl') });
    }
  });

  test('expiration as valueInstant', () => {
    const body = response(TOKEN, { name: 'expiration', valueInstant: '2030-01-01T00:00:00Z' }, WEBSOCKET_URL);
    expect(only(validateParameters(R5, body, 'out')).rule).toBe('value.choice-key');
  });

  test('id input as valueString', () => {
    expect(only(validateParameters(R5, response({ name: 'id', valueString: 'a' }), 'in')).rule).toBe('value.choice-key');
  });

  test('a resource where a value is declared', () => {
    const body = response(TOKEN, EXPIRATION, { name: 'websocket-url', resource: { resourceType: 'Basic' } });
    expect(only(validateParameters(R5, body, 'out'))).toMatchObject({ rule: 'value.choice-key', actual: 'resource' });
  });
});

test.describe('datatype (DT-*)', () => {
  test('expiration without timezone → DT-02', () => {
    const body = response(TOKEN, { name: 'expiration', valueDateTime: '2030-01-01T10:00:00' }, WEBSOCKET_URL);
    const issue = only(validateParameters(R5, body, 'out'));
    expect(issue).toMatchObject({
      rule: 'value.datatype',
      severity: 'error',
      requirement: 'DT-02',
      path: 'Parameters.parameter[1].valueDateTime',
      expected: 'a dateTime with a timezone when a time is given',
      actual: '"2030-01-01T10:00:00"',
    });
  });

  test('empty token → DT-04, and the token never appears in messages', () => {
    const issue = only(validateParameters(R5, response({ name: 'token', valueString: '' }, EXPIRATION, WEBSOCKET_URL), 'out'));
    expect(issue).toMatchObject({ rule: 'value.datatype', requirement: 'DT-04' });
  });

  test('token over 1 MB → error; its content is not shown', () => {
    const big = 'T'.repeat(MAX_STRING_BYTES + 1);
    const issue = only(validateParameters(R5, response({ name: 'token', valueString: big }, EXPIRATION, WEBSOCKET_URL), 'out'));
    expect(issue.severity).toBe('error');
    expect(issue.message).not.toContain('TTTT');
  });

  test('token with a control character → warning that does not show the token', () => {
    const secret = 'secret-token\u0007';
    const issue = only(validateParameters(R5, response({ name: 'token', valueString: secret }, EXPIRATION, WEBSOCKET_URL), 'out'));
    expect(issue).toMatchObject({ rule: 'value.datatype', severity: 'warning', requirement: 'DT-04' });
    expect(JSON.stringify(issue)).not.toContain('secret-token');
  });

  test('a token of the wrong datatype is described without its content', () => {
    const body = response({ name: 'token', valueString: 42 }, EXPIRATION, WEBSOCKET_URL);
    expect(only(validateParameters(R5, body, 'out')).actual).toBe('42 (a number)');
  });

  test('relative websocket-url → DT-05', () => {
    const body = response(TOKEN, EXPIRATION, { name: 'websocket-url', valueUrl: '/ws' });
    expect(only(validateParameters(R5, body, 'out'))).toMatchObject({ rule: 'value.datatype', requirement: 'DT-05' });
  });

  test('malformed id inputs → DT-01', () => {
    const issues = validateParameters(R5, response({ name: 'id', valueId: 'a'.repeat(65) }, { name: 'id', valueId: 'a_b' }), 'in');
    expect(issues.map((issue) => [issue.rule, issue.requirement, issue.path])).toEqual([
      ['value.datatype', 'DT-01', 'Parameters.parameter[0].valueId'],
      ['value.datatype', 'DT-01', 'Parameters.parameter[1].valueId'],
    ]);
  });

  test('a subscription value (not secret) is shown', () => {
    const issue = only(validateParameters(R5, response(TOKEN, EXPIRATION, WEBSOCKET_URL, { name: 'subscription', valueString: '' }), 'out'));
    expect(issue.actual).toBe('""');
  });
});

test.describe('cardinality (OP-11..OP-14)', () => {
  test('missing token → cardinality.min with OP-11', () => {
    const issue = only(validateParameters(R5, response(EXPIRATION, SUBSCRIPTION, WEBSOCKET_URL), 'out'));
    expect(issue).toMatchObject({ rule: 'cardinality.min', requirement: 'OP-11', parameter: 'token', actual: 'none' });
    expect(issue.path).toBe("Parameters.parameter.where(name='token')");
    expect(issue.message).toContain('expected at least 1 "token" (cardinality 1..1), but received none');
  });

  test('repeated token → cardinality.max with OP-11', () => {
    const issue = only(validateParameters(R5, response(TOKEN, TOKEN, EXPIRATION, WEBSOCKET_URL), 'out'));
    expect(issue).toMatchObject({ rule: 'cardinality.max', requirement: 'OP-11', actual: '2' });
  });

  test('missing expiration → OP-12; missing websocket-url → OP-13', () => {
    const issues = validateParameters(R5, response(TOKEN), 'out');
    expect(issues.map((issue) => [issue.rule, issue.parameter, issue.requirement])).toEqual([
      ['cardinality.min', 'expiration', 'OP-12'],
      ['cardinality.min', 'websocket-url', 'OP-13'],
    ]);
  });

  test('repeated websocket-url → cardinality.max with OP-13', () => {
    const issue = only(validateParameters(R5, response(TOKEN, EXPIRATION, WEBSOCKET_URL, WEBSOCKET_URL), 'out'));
    expect(issue).toMatchObject({ rule: 'cardinality.max', requirement: 'OP-13' });
  });

  test('a Parameters resource with no parameter element misses all three required outputs', () => {
    expect(rules(validateParameters(R5, { resourceType: 'Parameters' }, 'out'))).toEqual([
      'cardinality.min',
      'cardinality.min',
      'cardinality.min',
    ]);
  });
});

test.describe('names (OP-15)', () => {
  test('legacy subscriptions → name.legacy, called out as legacy', () => {
    const body = response(TOKEN, EXPIRATION, WEBSOCKET_URL, { name: 'subscriptions', valueString: 'a,b' });
    const issue = only(validateParameters(R5, body, 'out'));
    expect(issue).toMatchObject({ rule: 'name.legacy', requirement: 'OP-15', parameter: 'subscriptions' });
    expect(issue.actual).toContain('the legacy name "subscriptions"');
  });

  test('legacy return and ids → name.legacy', () => {
    const out = validateParameters(R5, response({ name: 'return', resource: { resourceType: 'Parameters' } }), 'out');
    expect(rules(out)).toContain('name.legacy');
    const input = validateParameters(R5, response({ name: 'ids', valueString: 'a,b' }), 'in');
    expect(only(input)).toMatchObject({ rule: 'name.legacy', parameter: 'ids' });
  });

  test('an unknown name → name.unknown (no requirement id)', () => {
    const issue = only(validateParameters(R5, response(TOKEN, EXPIRATION, WEBSOCKET_URL, { name: 'foo', valueString: 'x' }), 'out'));
    expect(issue.rule).toBe('name.unknown');
    expect(issue.requirement).toBeUndefined();
    expect(issue.message).toBe(
      'parameter "foo" at Parameters.parameter[3].name: expected one of the declared out parameters (token, expiration, subscription, websocket-url), but received "foo"',
    );
  });

  test('an input name in an output → name.unknown saying it is an in parameter', () => {
    const issue = only(validateParameters(R5, response(TOKEN, EXPIRATION, WEBSOCKET_URL, { name: 'id', valueId: 'a' }), 'out'));
    expect(issue.actual).toBe('"id" (declared as an in parameter)');
  });

  test('legacy names are only legacy for this operation', () => {
    const other = { ...R5, code: 'other-operation' } as OperationDefinition;
    const body = response(TOKEN, EXPIRATION, WEBSOCKET_URL, { name: 'subscriptions', valueString: 'a' });
    expect(only(validateParameters(other, body, 'out')).rule).toBe('name.unknown');
    expect(only(validateParameters(R5, body, 'out', { profile: EMPTY_PROFILE })).rule).toBe('name.unknown');
  });
});

test.describe('other operations (reuse beyond $get-ws-binding-token)', () => {
  const definition = {
    resourceType: 'OperationDefinition',
    name: 'Example',
    status: 'active',
    kind: 'operation',
    code: 'example',
    system: true,
    type: false,
    instance: false,
    parameter: [
      { name: 'return', use: 'out', min: 1, max: '1', type: 'Bundle' },
      { name: 'coding', use: 'out', min: 0, max: '1', type: 'Coding' },
      { name: 'count', use: 'out', min: 0, max: '1', type: 'integer64' },
      {
        name: 'tuple',
        use: 'out',
        min: 0,
        max: '*',
        part: [
          { name: 'when', use: 'out', min: 1, max: '1', type: 'instant' },
          { name: 'what', use: 'out', min: 0, max: '1', type: 'Resource' },
        ],
      },
    ],
  } as unknown as OperationDefinition;

  test('resources, complex datatypes, integer64 and tuples validate', () => {
    const body = response(
      { name: 'return', resource: { resourceType: 'Bundle' } },
      { name: 'coding', valueCoding: { code: 'x' } },
      { name: 'count', valueInteger64: '310' },
      { name: 'tuple', part: [{ name: 'when', valueInstant: '2030-01-01T00:00:00Z' }, { name: 'what', resource: { resourceType: 'Basic' } }] },
    );
    expect(validateParameters(definition, body, 'out')).toEqual([]);
  });

  test('defects inside resources, datatypes and parts are found with paths', () => {
    const body = response(
      { name: 'return', resource: { resourceType: 'Patient' } },
      { name: 'coding', valueCoding: 'x' },
      { name: 'count', valueInteger64: 310 },
      { name: 'tuple', part: [{ name: 'what', valueString: 'x' }, { name: 'extra', valueString: 'x' }] },
    );
    const issues = validateParameters(definition, body, 'out');
    expect(issues.map((issue) => [issue.rule, issue.path])).toEqual([
      ['value.resource', 'Parameters.parameter[0].resource'],
      ['value.datatype', 'Parameters.parameter[1].valueCoding'],
      ['value.datatype', 'Parameters.parameter[2].valueInteger64'],
      ['value.choice-key', 'Parameters.parameter[3].part[0]'],
      ['name.unknown', 'Parameters.parameter[3].part[1].name'],
      ['cardinality.min', "Parameters.parameter[3].part.where(name='when')"],
    ]);
  });
});

test.describe('never throws', () => {
  test('junk definitions', () => {
    for (const definition of [null, undefined, 'x', 5, [], {}, { parameter: 'x' }, { parameter: [null, 5, { name: 7 }] }]) {
      expect(() => validateParameters(definition, validResponse(), 'out')).not.toThrow();
    }
    // With nothing declared, every parameter is unknown.
    expect(rules(validateParameters({}, validResponse(), 'out'))).toEqual(['name.unknown', 'name.unknown', 'name.unknown', 'name.unknown']);
  });

  test('a cyclic body', () => {
    const cyclic: Record<string, unknown> = { resourceType: 'Parameters' };
    cyclic.parameter = [cyclic];
    expect(() => validateParameters(R5, cyclic, 'out')).not.toThrow();
  });

  test('deeply nested parts stop at the depth limit', () => {
    const nested = { name: 'p', part: [] as unknown[] };
    let cursor = nested;
    for (let level = 0; level < 50; level++) {
      const child = { name: 'p', part: [] as unknown[] };
      cursor.part.push(child);
      cursor = child;
    }
    cursor.part.push({ name: 'p', valueString: 'x' });
    const recursive: Record<string, unknown> = { name: 'p', use: 'out', min: 0, max: '*' };
    recursive.part = [recursive];
    const definition = { resourceType: 'OperationDefinition', code: 'x', parameter: [recursive] };
    const issues = validateParameters(definition, response(nested), 'out');
    expect(rules(issues)).toContain('limits.depth');
  });

  test('a hostile proxy body', () => {
    const hostile = new Proxy({ resourceType: 'Parameters' }, { ownKeys: () => { throw new Error('boom'); } });
    const issues = validateParameters(R5, hostile, 'out');
    expect(rules(issues)).toEqual(['internal']);
  });

  test('a huge body is validated quickly, with a capped issue list', () => {
    const parameter = Array.from({ length: 100_000 }, (_, index) => ({ name: `unknown-${index}`, valueString: 'x' }));
    const started = Date.now();
    const issues = validateParameters(R5, { resourceType: 'Parameters', parameter }, 'out', { maxIssues: 50 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(issues).toHaveLength(51);
    expect(issues.at(-1)?.rule).toBe('limits.issues');
  });
});

test('every issue carries a documented rule and an "expected X, but received Y" message', () => {
  const bodies: unknown[] = [
    null,
    response({ name: 'token', valueInteger: 1 }, { name: 'token' }, { name: 'expiration', valueDateTime: 'x' }, { name: 'subscriptions', valueString: 'a' }, 7 as unknown as Entry),
  ];
  for (const body of bodies) {
    for (const issue of validateParameters(R5, body, 'out')) {
      expect(Object.keys(PARAMETER_RULES)).toContain(issue.rule);
      expect(issue.message).toContain(`expected ${issue.expected}, but received ${issue.actual}`);
    }
  }
});
