import { expect, test } from '@playwright/test';
import { HarnessError } from '../../../runner/errors.js';
import { compileQuery, query } from '../../../runner/checks/json-query.js';

const parameters = {
  resourceType: 'Parameters',
  parameter: [
    { name: 'token', valueString: 'abc' },
    { name: 'expiration', valueDateTime: '2030-01-01T00:00:00Z' },
    { name: 'subscription', valueString: 'Subscription/a' },
    { name: 'subscription', valueString: 'Subscription/b' },
    { name: 'websocket-url', valueUrl: 'wss://example.org/ws', extra: { deep: 'x' } },
  ],
  'with-dash': 1,
  'a key': { inner: [10, 20, 30] },
};

test.describe('query', () => {
  const cases: Array<[string, unknown[]]> = [
    ['$', [parameters]],
    ['$.resourceType', ['Parameters']],
    ['$.missing', []],
    ['$.with-dash', [1]],
    ["$['with-dash']", [1]],
    ["$['a key'].inner[0]", [10]],
    ['$["a key"].inner[-1]', [30]],
    ["$['a key'].inner[3]", []],
    ["$['a key'].inner[-4]", []],
    ["$['a key'].inner[*]", [10, 20, 30]],
    ["$['a key'].inner.*", [10, 20, 30]],
    ["$['a key'][*]", [[10, 20, 30]]],
    ['$.parameter[*].name', ['token', 'expiration', 'subscription', 'subscription', 'websocket-url']],
    ["$.parameter[?(@.name=='token')].valueString", ['abc']],
    ['$.parameter[?(@.name=="subscription")].valueString', ['Subscription/a', 'Subscription/b']],
    ["$.parameter[?(@.name != 'subscription')].name", ['token', 'expiration', 'websocket-url']],
    ['$.parameter[?(@.valueUrl)].name', ['websocket-url']],
    ['$.parameter[?(!@.valueString)].name', ['expiration', 'websocket-url']],
    ["$.parameter[?(@.extra.deep=='x')].name", ['websocket-url']],
    ["$.parameter[?(@['extra']['deep']=='x')].name", ['websocket-url']],
    ["$.parameter[?(@.name=='subscription' && @.valueString=='Subscription/b')].valueString", ['Subscription/b']],
    ["$.parameter[?(@.name=='token' || (@.name=='expiration'))].name", ['token', 'expiration']],
    ["$['a key'].inner[?(@==20)]", [20]],
    ["$['a key'].inner[?(@=='20')]", []],
    ['$.parameter[0].name.length', []],
  ];
  for (const [path, expected] of cases) {
    test(`${path}`, () => {
      expect(query(parameters, path)).toEqual(expected);
    });
  }

  test('selectors on the wrong kind of value select nothing instead of throwing', () => {
    expect(query('text', '$.a')).toEqual([]);
    expect(query({ a: 1 }, '$[0]')).toEqual([]);
    expect(query(null, '$[*]')).toEqual([]);
    expect(query(undefined, '$.a[?(@.b)]')).toEqual([]);
    expect(query([1, 'x', null], '$[?(@==null)]')).toEqual([null]);
  });

  test('filters apply to object member values too', () => {
    expect(query({ a: { k: 1 }, b: { k: 2 } }, '$[?(@.k==2)]')).toEqual([{ k: 2 }]);
  });

  test('literals: numbers, booleans, null and escaped quotes', () => {
    const data = [{ v: 1.5 }, { v: true }, { v: null }, { v: "it's" }, { v: -2 }];
    expect(query(data, '$[?(@.v==1.5)]')).toEqual([{ v: 1.5 }]);
    expect(query(data, '$[?(@.v==true)]')).toEqual([{ v: true }]);
    expect(query(data, '$[?(@.v==null)]')).toEqual([{ v: null }]);
    expect(query(data, "$[?(@.v=='it\\'s')]")).toEqual([{ v: "it's" }]);
    expect(query(data, '$[?(@.v==-2)]')).toEqual([{ v: -2 }]);
  });
});

test.describe('malformed paths are HarnessErrors naming the position', () => {
  const cases: Array<[string, string]> = [
    ['parameter', 'expected the path to start with "$" at character 1'],
    ['$.', 'expected a member name'],
    ['$..name', 'recursive descent ".." is not supported'],
    ['$.a[', "expected 'name', an index, * or ?( … ) at the end"],
    ['$.a[0', 'expected "]" at the end'],
    ["$.a['x]", 'unterminated string'],
    ['$.a[?(@.b<3)]', 'only == and != comparisons are supported at character 10'],
    ['$.a[?(@.b==)]', 'expected a literal'],
    ['$.a[?@.b]', 'expected "(" at character 6'],
    ['$.a b', 'expected "." or "[" at character 4'],
    ['$.a[1:2]', 'expected "]" at character 6'],
  ];
  for (const [path, message] of cases) {
    test(path, () => {
      let caught: unknown;
      try {
        compileQuery(path);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(HarnessError);
      expect((caught as HarnessError).code).toBe('FWC_ERR_SCENARIO_SCHEMA');
      expect((caught as HarnessError).message).toContain(`bad query ${JSON.stringify(path)}: ${message}`);
    });
  }
});
