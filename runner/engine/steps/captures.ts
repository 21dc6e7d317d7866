/**
 * Captures and records shared by every step kind: `capture:` reads values out of the step's
 * subject into variables; `record:` stores observations for the server profile.
 */
import { query } from '../../checks/json-query.js';
import { interpolate } from '../../checks/interpolate.js';
import type { Step } from '../../scenario/model.js';
import type { ScenarioContext } from '../scenario-context.js';

export function applyCaptures(step: Step, subject: unknown, ctx: ScenarioContext): void {
  for (const [name, template] of Object.entries(step.capture ?? {})) {
    const path = interpolate(template, ctx.vars);
    const matches = subject === undefined ? [] : query(subject, path);
    if (matches.length > 0) {
      ctx.vars.set(name, matches[0]);
      continue;
    }
    ctx.addCheck({
      id: `step${ctx.stepIndex}.capture.${name}`,
      label: `capture ${name} from ${path}`,
      expected: 'a value to capture',
      actual: 'the query matched nothing',
      passed: false,
      level: ctx.levelFor(step.level, 'DEF'),
      requirement: step.requirement,
    });
  }
}

export function applyRecords(step: Step, ctx: ScenarioContext): void {
  for (const [name, template] of Object.entries(step.record ?? {})) {
    ctx.profile[name] = interpolate(template, ctx.vars);
  }
}
