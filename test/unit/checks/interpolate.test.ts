import { expect, test } from '@playwright/test';
import { HarnessError } from '../../../runner/errors.js';
import {
  UndefinedVariableError,
  VariableScope,
  interpolate,
  interpolateValue,
} from '../../../runner/checks/interpolate.js';
import { parseTemplate, variableReferences, wholeReference } from '../../../runner/checks/template.js';

function scope(): VariableScope {
  return new VariableScope({
    subA: { id: 'a1', reference: 'Subscription/a1' },
    tok: { token: 'eyJ', subscriptions: ['a1', 'b2'], lifetimeMs: 60000, nested: { deeper: { value: 'x' } } },
    count: 3,
    flag: false,
    nothing: null,
  });
}

test.describe('interpolate', () => {
  test('replaces variables and members inside text', () => {
    expect(interpolate('Subscription/${subA.id}/$get-ws-binding-token', scope())).toBe('Subscription/a1/$get-ws-binding-token');
    expect(interpolate('${subA.reference} and ${tok.token}', scope())).toBe('Subscription/a1 and eyJ');
  });

  test('walks nested members and array indexes', () => {
    expect(interpolate('${tok.nested.deeper.value}', scope())).toBe('x');
    expect(interpolate('first ${tok.subscriptions.1}', scope())).toBe('first b2');
  });

  test('renders non-strings as written, arrays and objects as JSON', () => {
    expect(interpolate('n=${count} f=${flag} z=${nothing}', scope())).toBe('n=3 f=false z=null');
    expect(interpolate('ids ${tok.subscriptions}', scope())).toBe('ids ["a1","b2"]');
  });

  test('$${ is a literal ${ and a lone $ stays', () => {
    expect(interpolate('$${subA.id} costs $5 at $.x', scope())).toBe('${subA.id} costs $5 at $.x');
    expect(interpolate('$$${subA.id}', scope())).toBe('$${subA.id}');
  });

  test('a string without placeholders is returned unchanged', () => {
    expect(interpolate("$.parameter[?(@.name=='token')]", scope())).toBe("$.parameter[?(@.name=='token')]");
  });

  test('an undefined variable is a HarnessError FWC_ERR_SCENARIO_UNDEFINED_VARIABLE with the location', () => {
    const location = { file: 'suites/x.yaml', line: 4, column: 7 };
    let caught: unknown;
    try {
      interpolate('${tokk.token}', scope(), location);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UndefinedVariableError);
    expect(caught).toBeInstanceOf(HarnessError);
    const error = caught as UndefinedVariableError;
    expect(error.code).toBe('FWC_ERR_SCENARIO_UNDEFINED_VARIABLE');
    expect(error.missing).toBe('variable');
    expect(error.location).toEqual(location);
    expect(error.message).toBe('suites/x.yaml:4:7 undefined variable "tokk"');
  });

  test('a missing member is told apart from a missing variable', () => {
    let caught: unknown;
    try {
      interpolate('${tok.expiration}', scope());
    } catch (error) {
      caught = error;
    }
    expect((caught as UndefinedVariableError).missing).toBe('member');
    expect((caught as UndefinedVariableError).code).toBe('FWC_ERR_SCENARIO_UNDEFINED_VARIABLE');
    expect((caught as Error).message).toBe('"${tok.expiration}" has no value: tok.expiration is not defined');
  });

  test('malformed placeholders are HarnessErrors at the given location', () => {
    const location = { file: 'f.yaml', line: 2, column: 3 };
    expect(() => interpolate('${unterminated', scope(), location)).toThrow(
      'f.yaml:2:3 unterminated "${" at character 1 (write "$${" for a literal "${") in "${unterminated"',
    );
    expect(() => interpolate('x ${a b}', scope())).toThrow('bad variable reference "${a b}"');
    expect(() => interpolate('${}', scope())).toThrow('bad variable reference "${}"');
    expect(() => interpolate('${1abc}', scope())).toThrow('bad variable reference');
  });
});

test.describe('interpolateValue', () => {
  test('a whole placeholder keeps its type', () => {
    expect(interpolateValue('${tok.subscriptions}', scope())).toEqual(['a1', 'b2']);
    expect(interpolateValue('${count}', scope())).toBe(3);
    expect(interpolateValue('${flag}', scope())).toBe(false);
    expect(interpolateValue('${nothing}', scope())).toBeNull();
    expect(interpolateValue('${count} ', scope())).toBe('3 ');
  });

  test('walks objects and arrays, leaving keys and non-strings alone', () => {
    const template = { ids: '${tok.subscriptions}', nested: [{ '${key}': 'Subscription/${subA.id}', n: 1, b: true }] };
    expect(interpolateValue(template, scope())).toEqual({
      ids: ['a1', 'b2'],
      nested: [{ '${key}': 'Subscription/a1', n: 1, b: true }],
    });
  });

  test('an escaped whole placeholder stays text', () => {
    expect(interpolateValue('$${count}', scope())).toBe('${count}');
  });
});

test.describe('VariableScope', () => {
  test('set, get, has', () => {
    const vars = new VariableScope();
    expect(vars.has('a')).toBe(false);
    expect(vars.get('a')).toBeUndefined();
    vars.set('a', 1).set('b', undefined);
    expect(vars.get('a')).toBe(1);
    expect(vars.has('b')).toBe(true);
  });

  test('child scopes see and shadow their parent without changing it', () => {
    const parent = new VariableScope({ run: { id: 'r1' }, x: 1 });
    const child = parent.child({ x: 2 });
    child.set('y', 3);
    expect(child.get('run')).toEqual({ id: 'r1' });
    expect(child.get('x')).toBe(2);
    expect(parent.get('x')).toBe(1);
    expect(parent.has('y')).toBe(false);
    expect(child.names().sort()).toEqual(['run', 'x', 'y']);
    expect(interpolate('${run.id}-${x}', child)).toBe('r1-2');
  });
});

test.describe('template parsing', () => {
  test('references carry name, members and offset', () => {
    expect(variableReferences('a ${tok.subscriptions.0} $${no} ${now}')).toEqual([
      { reference: 'tok.subscriptions.0', name: 'tok', path: ['subscriptions', '0'], offset: 2 },
      { reference: 'now', name: 'now', path: [], offset: 32 },
    ]);
  });

  test('wholeReference only for exactly one placeholder', () => {
    expect(wholeReference('${a.b}')).toEqual({ reference: 'a.b', name: 'a', path: ['b'], offset: 0 });
    expect(wholeReference('${a}${b}')).toBeUndefined();
    expect(wholeReference('x${a}')).toBeUndefined();
  });

  test('member names may hold dashes and start with digits', () => {
    expect(parseTemplate('${config.ws-url.0}')).toEqual([
      { kind: 'variable', reference: 'config.ws-url.0', name: 'config', path: ['ws-url', '0'], offset: 0 },
    ]);
  });
});
