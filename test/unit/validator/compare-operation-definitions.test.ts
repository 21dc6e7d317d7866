import { expect, test } from '@playwright/test';
import {
  canonicalOperationDefinition,
  compareOperationDefinitions,
  type OpDefDifference,
} from '../../../runner/validator/index.js';

const R5 = canonicalOperationDefinition('R5');
const BACKPORT = canonicalOperationDefinition('R4B');

type Mutable = Record<string, any>;

function copy(definition: unknown): Mutable {
  return structuredClone(definition) as Mutable;
}

function paths(differences: OpDefDifference[]): string[] {
  return differences.map((difference) => difference.path);
}

function parameterPath(name: string, use: string): string {
  return `OperationDefinition.parameter.where(name='${name}' and use='${use}')`;
}

test('identical definitions → no differences', () => {
  expect(compareOperationDefinitions(R5, copy(R5))).toEqual([]);
  expect(compareOperationDefinitions(BACKPORT, copy(BACKPORT))).toEqual([]);
});

test('parameter order, resource order, narrative and documentation do not count', () => {
  const served = copy(R5);
  served.parameter.reverse();
  served.text = { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">other</div>' };
  served.parameter[0].documentation = 'changed';
  served.publisher = 'someone else';
  expect(compareOperationDefinitions(R5, served)).toEqual([]);
});

test('R5 canonical vs backport canonical: id, url, affectsState and scope differ', () => {
  const differences = compareOperationDefinitions(R5, BACKPORT);
  expect(paths(differences)).toEqual([
    'OperationDefinition.id',
    'OperationDefinition.url',
    'OperationDefinition.affectsState',
    `${parameterPath('id', 'in')}.scope`,
  ]);
  const affectsState = differences[2] as OpDefDifference;
  expect(affectsState).toMatchObject({ expected: true, actual: false });
  expect(affectsState.message).toBe('OperationDefinition.affectsState: expected true (a boolean), but received false (a boolean)');
  expect(differences[3]?.message).toContain('expected ["type"], but received no scope (every level)');
  expect(differences[1]?.message).toContain(
    'but received "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-get-ws-binding-token"',
  );
});

test('backport canonical vs R5 canonical reports scope too (absent scope = every level)', () => {
  expect(paths(compareOperationDefinitions(BACKPORT, R5))).toContain(`${parameterPath('id', 'in')}.scope`);
});

test('expectedId overrides the canonical id', () => {
  const served = copy(R5);
  served.id = 'custom-id';
  expect(compareOperationDefinitions(R5, served, { expectedId: 'custom-id' })).toEqual([]);
  expect(paths(compareOperationDefinitions(R5, served))).toEqual(['OperationDefinition.id']);
});

test.describe('each top-level difference', () => {
  const cases: Array<[string, (served: Mutable) => void, unknown, unknown]> = [
    ['url', (s) => (s.url = 'http://example.org/OperationDefinition/x'), R5.url, 'http://example.org/OperationDefinition/x'],
    ['code', (s) => (s.code = '$get-ws-binding-token'), 'get-ws-binding-token', '$get-ws-binding-token'],
    ['kind', (s) => (s.kind = 'query'), 'operation', 'query'],
    ['system', (s) => (s.system = true), false, true],
    ['type', (s) => (s.type = false), true, false],
    ['instance', (s) => delete s.instance, true, undefined],
    ['affectsState', (s) => (s.affectsState = false), true, false],
    ['resource', (s) => (s.resource = ['Subscription', 'Patient']), ['Subscription'], ['Subscription', 'Patient']],
    ['id', (s) => (s.id = 'other'), R5.id, 'other'],
  ];
  for (const [element, change, expected, actual] of cases) {
    test(element, () => {
      const served = copy(R5);
      change(served);
      const differences = compareOperationDefinitions(R5, served);
      expect(differences).toHaveLength(1);
      expect(differences[0]).toMatchObject({ path: `OperationDefinition.${element}`, expected, actual });
      expect(differences[0]?.message).toMatch(new RegExp(`^OperationDefinition\\.${element}: expected .+, but received .+$`));
    });
  }

  test('resource as a bare string is a difference', () => {
    const served = copy(R5);
    served.resource = 'Subscription';
    expect(paths(compareOperationDefinitions(R5, served))).toEqual(['OperationDefinition.resource']);
  });
});

test.describe('parameter differences', () => {
  test('missing parameter', () => {
    const served = copy(R5);
    served.parameter = served.parameter.filter((p: Mutable) => p.name !== 'websocket-url');
    const [difference] = compareOperationDefinitions(R5, served);
    expect(difference).toMatchObject({ path: parameterPath('websocket-url', 'out'), actual: 'no such parameter' });
    expect(difference?.message).toContain('expected a parameter out "websocket-url" (url 1..1), but received no such parameter');
  });

  test('extra parameter (e.g. a legacy one)', () => {
    const served = copy(R5);
    served.parameter.push({ name: 'subscriptions', use: 'out', min: 0, max: '1', type: 'string' });
    const [difference, ...rest] = compareOperationDefinitions(R5, served);
    expect(rest).toEqual([]);
    expect(difference?.path).toBe(parameterPath('subscriptions', 'out'));
    expect(difference?.message).toContain('but received an extra parameter out "subscriptions"');
  });

  test('same name, other use → one missing and one extra', () => {
    const served = copy(R5);
    served.parameter[0].use = 'out';
    expect(paths(compareOperationDefinitions(R5, served))).toEqual([parameterPath('id', 'in'), parameterPath('id', 'out')]);
  });

  test('min, max and type', () => {
    const served = copy(R5);
    const token = served.parameter.find((p: Mutable) => p.name === 'token');
    token.min = 0;
    token.max = '*';
    served.parameter.find((p: Mutable) => p.name === 'websocket-url').type = 'string';
    const differences = compareOperationDefinitions(R5, served);
    expect(differences.map((d) => [d.path, d.expected, d.actual])).toEqual([
      [`${parameterPath('token', 'out')}.min`, 1, 0],
      [`${parameterPath('token', 'out')}.max`, '1', '*'],
      [`${parameterPath('websocket-url', 'out')}.type`, 'url', 'string'],
    ]);
  });

  test('a repeating token (max "*") is a difference, with both values shown for the report', () => {
    for (const canonical of [R5, BACKPORT]) {
      const served = copy(canonical);
      served.parameter.find((p: Mutable) => p.name === 'token').max = '*';
      const differences = compareOperationDefinitions(canonical, served);
      expect(differences).toHaveLength(1);
      expect(differences[0]).toMatchObject({
        path: `${parameterPath('token', 'out')}.max`,
        expected: '1',
        actual: '*',
        shown: { expected: '"1"', actual: '"*"' },
      });
    }
  });

  test('min written as a string is a difference', () => {
    const served = copy(R5);
    served.parameter[1].min = '1';
    expect(compareOperationDefinitions(R5, served)[0]).toMatchObject({ expected: 1, actual: '1' });
  });

  test('scope: changed, dropped, or added where the canonical has none', () => {
    const changed = copy(R5);
    changed.parameter[0].scope = ['instance'];
    expect(paths(compareOperationDefinitions(R5, changed))).toEqual([`${parameterPath('id', 'in')}.scope`]);

    const dropped = copy(R5);
    delete dropped.parameter[0].scope;
    expect(paths(compareOperationDefinitions(R5, dropped))).toEqual([`${parameterPath('id', 'in')}.scope`]);

    const added = copy(BACKPORT);
    added.parameter[0].scope = ['type'];
    expect(paths(compareOperationDefinitions(BACKPORT, added))).toEqual([`${parameterPath('id', 'in')}.scope`]);

    const allLevels = copy(BACKPORT);
    allLevels.parameter[0].scope = ['system', 'type', 'instance'];
    expect(compareOperationDefinitions(BACKPORT, allLevels)).toEqual([]);
  });

  test('duplicate parameter', () => {
    const served = copy(R5);
    served.parameter.push(copy(served.parameter[1]));
    const differences = compareOperationDefinitions(R5, served);
    expect(differences).toHaveLength(1);
    expect(differences[0]?.path).toBe('OperationDefinition.parameter[5]');
  });

  test('parts are compared recursively', () => {
    const canonical = copy(R5);
    canonical.parameter.push({ name: 'tuple', use: 'out', min: 0, max: '*', part: [{ name: 'a', use: 'out', min: 1, max: '1', type: 'string' }] });
    const served = copy(canonical);
    served.parameter.at(-1).part[0].type = 'code';
    expect(paths(compareOperationDefinitions(canonical, served))).toEqual([
      `${parameterPath('tuple', 'out')}.part.where(name='a' and use='out').type`,
    ]);
  });
});

test.describe('junk never throws', () => {
  for (const junk of [null, undefined, 5, 'OperationDefinition', [], {}, { resourceType: 'Parameters' }]) {
    test(`served ${JSON.stringify(junk) ?? 'undefined'}`, () => {
      const differences = compareOperationDefinitions(R5, junk);
      expect(differences).toHaveLength(1);
      expect(differences[0]?.path).toBe('OperationDefinition.resourceType');
    });
  }

  test('a bare OperationDefinition lists every missing element and parameter', () => {
    const differences = compareOperationDefinitions(R5, { resourceType: 'OperationDefinition' });
    expect(differences.length).toBe(1 + 7 + 1 + 5); // id, 7 flags, resource, 5 parameters
  });

  test('parameter that is not a list, and entries without names', () => {
    expect(paths(compareOperationDefinitions(R5, { ...copy(R5), parameter: 'x' }))).toEqual(['OperationDefinition.parameter']);
    const served = copy(R5);
    served.parameter.push(null, { name: 5 });
    expect(paths(compareOperationDefinitions(R5, served))).toEqual(['OperationDefinition.parameter[5]', 'OperationDefinition.parameter[6]']);
  });

  test('junk canonical', () => {
    expect(compareOperationDefinitions(null, R5)[0]?.path).toBe('OperationDefinition');
  });

  test('a hostile proxy', () => {
    const hostile = new Proxy({ resourceType: 'OperationDefinition' }, { get: (target, key) => {
      if (key === 'resourceType') return 'OperationDefinition';
      throw new Error('boom');
    } });
    expect(() => compareOperationDefinitions(R5, hostile)).not.toThrow();
    expect(compareOperationDefinitions(R5, hostile).at(-1)?.message).toContain('boom');
  });
});
