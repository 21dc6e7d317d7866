/** Dispatch: one executor per step kind. */
import type { Step } from '../../scenario/model.js';
import type { ScenarioContext } from '../scenario-context.js';
import { runBindFormsStep } from './bind-forms.js';
import { runCreateStep, runDeleteStep, runHttpStep, runOperationStep, runReadStep, runSearchStep } from './http-steps.js';
import { runWsObserveStep } from './observe-step.js';
import { runWsSoakStep } from './soak-step.js';
import { runSubscriptionQueryStep, runWsEventsStep } from './event-number-steps.js';
import { runForgeTokenStep, runGetTokenStep } from './token-steps.js';
import { runSetStep, runWaitStep } from './wait-steps.js';
import {
  runWsBindStep, runWsCloseStep, runWsConnectStep, runWsExpectCloseStep, runWsExpectNoneStep, runWsExpectStep, runWsSendStep,
} from './ws-steps.js';

export async function runStep(step: Step, ctx: ScenarioContext): Promise<void> {
  switch (step.kind) {
    case 'http': return runHttpStep(step, ctx);
    case 'read': return runReadStep(step, ctx);
    case 'create': return runCreateStep(step, ctx);
    case 'delete': return runDeleteStep(step, ctx);
    case 'search': return runSearchStep(step, ctx);
    case 'operation': return runOperationStep(step, ctx);
    case 'getToken': return runGetTokenStep(step, ctx);
    case 'forgeToken': return runForgeTokenStep(step, ctx);
    case 'ws.connect': return runWsConnectStep(step, ctx);
    case 'ws.send': return runWsSendStep(step, ctx);
    case 'ws.bind': return runWsBindStep(step, ctx);
    case 'ws.expect': return runWsExpectStep(step, ctx);
    case 'ws.expectNone': return runWsExpectNoneStep(step, ctx);
    case 'ws.expectClose': return runWsExpectCloseStep(step, ctx);
    case 'ws.observe': return runWsObserveStep(step, ctx);
    case 'ws.events': return runWsEventsStep(step, ctx);
    case 'ws.soak': return runWsSoakStep(step, ctx);
    case 'subscription.query': return runSubscriptionQueryStep(step, ctx);
    case 'ws.close': return runWsCloseStep(step, ctx);
    case 'bindForms': return runBindFormsStep(step, ctx);
    case 'wait': return runWaitStep(step, ctx);
    case 'set': return runSetStep(step, ctx);
  }
}

/** "3. operation POST instance" — the title of the Playwright step. */
export function describeStep(step: Step, index: number): string {
  if (step.name) return `${index}. ${step.name}`;
  const body = (step as unknown as Record<string, unknown>)[step.kind];
  const hint = body && typeof body === 'object' ? summarise(body as Record<string, unknown>) : '';
  return `${index}. ${step.kind}${hint ? ` ${hint}` : ''}`;
}

function summarise(body: Record<string, unknown>): string {
  const parts = ['method', 'level', 'socket', 'as', 'class', 'resourceType']
    .map((key) => body[key])
    .filter((v): v is string => typeof v === 'string');
  return parts.join(' ');
}
