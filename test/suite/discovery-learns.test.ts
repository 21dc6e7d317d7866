/**
 * Discovery learns once per run how the server is called and bound (runner/engine/learn-protocol.ts)
 * and hands out a frozen target; `auto` reads only that. Against the reference server with one
 * fault or variant at a time, with a pinned bind form, and with a GET-only routing (post-refused +
 * no-type-level, as Medplum routes): what was learned, that nothing writes it, that error cases
 * are asked by the invocation that works, and that a refusal a missing route gives is not a pass.
 */
import { test, expect } from '@playwright/test';
import type { RunConfig } from '../../runner/config/run-config.js';
import { discoverTarget } from '../../runner/engine/discover-target.js';
import { startEmbeddedTarget } from '../../runner/engine/embedded-target.js';
import { runSuite } from '../../runner/engine/run-suite.js';
import { hydrateTarget, serializeTarget, type Target } from '../../runner/engine/target.js';
import type { HttpExchangeEntry } from '../../runner/evidence/transcript-types.js';
import type { ScenarioResult } from '../../runner/report/results-types.js';
import type { BindForm, FhirVersion } from '../../runner/scenario/model.js';
import { loadScenarioText } from '../../runner/scenario/load.js';
import { loadProjectSuite } from '../../runner/suite/project-suite.js';
import { runSuiteAgainstReference, testRunConfig } from './in-process-suite.js';

const suite = loadProjectSuite();
const GET_ONLY = ['post-refused', 'no-type-level'];

interface Setup { fhirVersion?: FhirVersion; faults?: string[]; bindForm?: BindForm | 'auto' }

async function withTarget<T>(setup: Setup, body: (target: Target) => Promise<T>): Promise<T> {
  const fhirVersion = setup.fhirVersion ?? 'R4';
  const config: RunConfig = {
    ...testRunConfig('', fhirVersion),
    server: undefined,
    bindForm: setup.bindForm ?? 'auto',
    reference: { fhirVersion, faults: setup.faults ?? [], tokenTtlSeconds: 30 },
  };
  const server = await startEmbeddedTarget(config);
  try {
    return await body(await discoverTarget({ ...config, server: server.url }));
  } finally {
    await server.close();
  }
}

async function run(target: Target, only: string[]): Promise<Map<string, ScenarioResult>> {
  const { results } = await runSuite(suite, target, { only, concurrency: 4 });
  return new Map(results.map((r) => [r.id, r]));
}

const works = (target: Target) => Object.fromEntries(target.learned.invocations.map((p) => [p.invocation, p.works ? 'works' : p.status]));
const accepted = (target: Target) => target.learned.bindForms.filter((p) => p.accepted).map((p) => p.form);
const operationRequests = (result: ScenarioResult) =>
  (result.transcript as Array<{ kind: string }>).filter((e): e is HttpExchangeEntry => e.kind === 'http' && (e as HttpExchangeEntry).request.url.includes('$get-ws-binding-token'));
const failing = (result: ScenarioResult) => result.checks.filter((c) => !c.passed && c.level !== 'SHOULD' && c.level !== 'MAY');

test.describe.configure({ mode: 'parallel' });

test('a conformant server: every invocation works, POST with Parameters preferred, all three bind forms, token kind and lifetime', async () => {
  await withTarget({}, async (target) => {
    expect(works(target)).toEqual({ 'instance-post': 'works', 'instance-post-empty': 'works', 'instance-get': 'works', 'type-post': 'works', 'type-get': 'works' });
    expect(target.learned).toMatchObject({ invocation: 'instance-post', bindForm: 'space', bindFormSource: 'probe', tokenKind: 'opaque' });
    expect(accepted(target)).toEqual(['space', 'colon', 'json']);
    expect(target.learned.tokenLifetimeSeconds).toBeGreaterThan(20);
    expect(target.learned.tokenLifetimeSeconds).toBeLessThanOrEqual(31);
  });
});

test('post-refused: the POST forms answer 405, GET at instance level is preferred', async () => {
  await withTarget({ faults: ['post-refused'] }, async (target) => {
    expect(works(target)).toEqual({ 'instance-post': 405, 'instance-post-empty': 405, 'instance-get': 'works', 'type-post': 405, 'type-get': 'works' });
    expect(target.learned.invocation).toBe('instance-get');
    expect(target.learned.bindForm).toBe('space');
  });
});

test('no-type-level: both type-level forms answer 404, instance POST preferred', async () => {
  await withTarget({ faults: ['no-type-level'] }, async (target) => {
    expect(works(target)).toEqual({ 'instance-post': 'works', 'instance-post-empty': 'works', 'instance-get': 'works', 'type-post': 404, 'type-get': 404 });
    expect(target.learned.invocation).toBe('instance-post');
  });
});

test('bind-json-only: only the JSON form yields a handshake, each form was probed with evidence', async () => {
  await withTarget({ faults: ['bind-json-only'] }, async (target) => {
    expect(target.learned).toMatchObject({ bindForm: 'json', bindFormSource: 'probe' });
    expect(accepted(target)).toEqual(['json']);
    for (const probe of target.learned.bindForms.filter((p) => !p.accepted)) expect(probe.detail).not.toBe('');
  });
});

test('a pinned bind form is used, and the invocation and the forms are still learned (GET-only routing)', async () => {
  await withTarget({ faults: [...GET_ONLY, 'bind-json-only'], bindForm: 'json' }, async (target) => {
    expect(target.learned).toMatchObject({ bindForm: 'json', bindFormSource: 'config', invocation: 'instance-get' });
    expect(accepted(target)).toEqual(['json']);
  });
  await withTarget({ faults: ['bind-json-only'], bindForm: 'colon' }, async (target) => {
    // pinned wins even where the probe disagrees: the config is the user's word
    expect(target.learned).toMatchObject({ bindForm: 'colon', bindFormSource: 'config', invocation: 'instance-post' });
    expect(accepted(target)).toEqual(['json']);
  });
});

test('the target is frozen, also as the workers receive it, and running scenarios writes nothing into it', async () => {
  await withTarget({ faults: ['bind-json-only'] }, async (target) => {
    const before = JSON.stringify(target.learned);
    for (const t of [target, hydrateTarget(serializeTarget(target))]) {
      expect(Object.isFrozen(t)).toBe(true);
      expect(Object.isFrozen(t.learned)).toBe(true);
      expect(Object.isFrozen(t.learned.invocations)).toBe(true);
      expect(Object.isFrozen(t.learned.bindForms[0])).toBe(true);
      expect(() => ((t.learned as { bindForm?: string }).bindForm = 'space')).toThrow(TypeError);
    }
    const results = await run(target, ['binding.forms.accepted', 'binding.handshake.single', 'invoke.type.single-id']);
    expect([...results.values()].map((r) => `${r.id}: ${r.outcome}`).sort()).toEqual(['binding.forms.accepted: passed', 'binding.handshake.single: passed', 'invoke.type.single-id: passed']);
    expect(JSON.stringify(target.learned)).toBe(before);
    // no scenario re-probes: the one bind sent is the scenario's own, in the learned form
    const sent = (results.get('binding.handshake.single')!.transcript as Array<{ kind: string; direction?: string; data?: string }>).filter((e) => e.kind === 'ws' && e.direction === 'sent');
    expect(sent.map((e) => e.data?.startsWith('{"type":"bind-with-token"'))).toEqual([true]);
    expect(results.get('binding.forms.accepted')!.checks.find((c) => c.id.endsWith('.bindForms'))?.actualValue).toEqual(['json']);
  });
});

test('GET-only server answering 200 for an unknown Subscription: invoke.errors.unknown-instance asks by GET and fails', async () => {
  await withTarget({ faults: [...GET_ONLY, 'unknown-id-accepted'] }, async (target) => {
    const result = (await run(target, ['invoke.errors.unknown-instance'])).get('invoke.errors.unknown-instance')!;
    expect(operationRequests(result).map((e) => e.request.method)).toEqual(['GET']);
    expect(result.outcome).toBe('failed');
    expect(failing(result).map((c) => [c.requirement, c.actual, c.prerequisite])).toEqual([['OP-17', '200', undefined]]);
  });
});

test('GET-only server: the error cases are judged by GET, and pass where its error handling is right', async () => {
  await withTarget({ faults: GET_ONLY }, async (target) => {
    const result = (await run(target, ['invoke.errors.unknown-instance'])).get('invoke.errors.unknown-instance')!;
    expect(operationRequests(result).map((e) => e.request.method)).toEqual(['GET']);
    expect(result.outcome).toBe('passed');
  });
});

test('a refusal that is only what a missing route answers is no pass: a prerequisite failure judged by the scenario for that route', async () => {
  await withTarget({ faults: ['no-instance-level'] }, async (target) => {
    const result = (await run(target, ['invoke.errors.unknown-instance'])).get('invoke.errors.unknown-instance')!;
    expect(result.outcome).not.toBe('passed');
    expect(failing(result).map((c) => c.prerequisite)).toEqual([{ judgedBy: 'invoke.instance.post-parameters' }]);
    expect(failing(result)[0]!.actual).toContain('404');
  });
  await withTarget({ faults: GET_ONLY }, async (target) => {
    const results = await run(target, ['invoke.errors.malformed-body', 'invoke.errors.unknown-id-type-level', 'binding.handshake.multiple', 'invoke.instance.post-parameters']);
    const judges = (id: string) => failing(results.get(id)!).map((c) => c.prerequisite?.judgedBy);
    expect(judges('invoke.errors.malformed-body')).toEqual(['invoke.instance.post-parameters']);
    expect(judges('invoke.errors.unknown-id-type-level')).toEqual(['invoke.type.get-several-ids']);
    // a token for two Subscriptions needs the type level: judged there, not blamed on binding
    expect(judges('binding.handshake.multiple')).toEqual(['invoke.type.several-ids']);
    // the judging scenario itself fails on its own requirement, never as a prerequisite
    expect(results.get('invoke.instance.post-parameters')!.outcome).toBe('failed');
    expect(judges('invoke.instance.post-parameters')).toEqual([undefined]);
  });
});

test('no bind form learned: binds are prerequisites judged by binding.forms.accepted, which fails itself', async () => {
  await withTarget({ faults: ['no-handshake'] }, async (target) => {
    expect(target.learned.bindForm).toBeUndefined();
    const results = await run(target, ['binding.forms.accepted', 'forged.random']);
    expect(results.get('binding.forms.accepted')!.outcome).toBe('failed');
    expect(failing(results.get('binding.forms.accepted')!).map((c) => c.prerequisite)).toEqual([undefined]);
    const forged = results.get('forged.random')!;
    expect(forged.outcome).not.toBe('passed');
    expect(failing(forged).map((c) => c.prerequisite)).toEqual([{ judgedBy: 'binding.forms.accepted' }]);
  });
});

test('no token at all (no operation): the bind forms are not judged, binding.forms.accepted is blocked by the invocation judge', async () => {
  await withTarget({ faults: ['operation-absent'] }, async (target) => {
    expect(target.learned.invocation).toBeUndefined();
    const forms = (await run(target, ['binding.forms.accepted'])).get('binding.forms.accepted')!;
    expect(forms.outcome, forms.reason).toBe('blocked');
    expect(forms.blockedBy).toBe('invoke.instance.post-parameters');
    expect(failing(forms).map((c) => [c.requirement, c.prerequisite])).toEqual([[undefined, { judgedBy: 'invoke.instance.post-parameters' }]]);
    expect(failing(forms)[0]!.actual).toMatch(/^after each form: no token: instance-post → 404/);
    expect(failing(forms)[0]!.note, 'nothing was tried: no word on what the server does with the forms').toBeUndefined();
  });
});

test('a token refused after this scenario was issued one for the same Subscription is its own finding, not a prerequisite', async () => {
  const file = loadScenarioText(
    [
      'chapter: binding',
      'title: token after deletion',
      'scenarios:',
      '  - id: test.token-after-delete',
      '    title: a second token for a deleted Subscription',
      '    description: the first token is a prerequisite, the second one what the scenario looks at',
      '    requirements: [WS-15]',
      '    level: DEF',
      '    preconditions: []',
      '    fixtures:',
      '      - subscription: a',
      '        channel: websocket',
      '    steps:',
      '      - getToken: { subscriptions: ["${a.id}"], as: first }',
      '      - delete: { resourceType: Subscription, id: "${a.id}" }',
      '      - requirement: WS-15',
      '        getToken: { subscriptions: ["${a.id}"], as: second }',
      '',
    ].join('\n'),
    'suites/test.yaml',
  );
  await withTarget({}, async (target) => {
    const { results } = await runSuite([file], target);
    const tokenChecks = results[0]!.checks.filter((c) => c.id.endsWith('.getToken'));
    expect(tokenChecks.map((c) => [c.passed, c.requirement, c.prerequisite])).toEqual([
      [true, 'OP-01', undefined],
      [false, 'WS-15', undefined],
    ]);
  });
});

test('forms no token could judge are not refused: no handshake for a token stated expired on arrival blocks binding.forms.accepted by the expiration judge', async () => {
  test.setTimeout(60_000);
  const results = await runSuiteAgainstReference({
    fhirVersion: 'R5', faults: ['no-handshake', 'expiration-in-past'], tokenTtlSeconds: 30,
    only: ['binding.forms.accepted', 'outputs.expiration.future-with-timezone'],
  });
  expect(results.get('outputs.expiration.future-with-timezone')!.outcome).toBe('failed');
  const forms = results.get('binding.forms.accepted')!;
  expect(forms.outcome, forms.reason).toBe('blocked');
  expect(forms.blockedBy).toBe('outputs.expiration.future-with-timezone');
});
