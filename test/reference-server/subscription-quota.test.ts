/**
 * Issue 11 item 19: a client may hold at most maxSubscriptions live Subscriptions; past it a create
 * gets a 422 OperationOutcome (too-costly), and deleting one frees a place. Each bearer identity has
 * its own allowance.
 */
import { expect, test } from '@playwright/test';
import { http, start, subscriptionResource, type Json } from './helpers.js';

const LIMIT = 3;

test('past maxSubscriptions a create is refused with 422 too-costly; a delete frees a place', async () => {
  const server = await start({ maxSubscriptions: LIMIT });
  try {
    const body = subscriptionResource('R5');
    const ids: string[] = [];
    for (let i = 0; i < LIMIT; i++) {
      const created = await http(server, 'POST', 'Subscription', { body });
      expect(created.status).toBe(201);
      ids.push(String(created.json!.id));
    }
    const refused = await http(server, 'POST', 'Subscription', { body });
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'too-costly' }] });
    expect((refused.json!.issue as Json[])[0]!.diagnostics).toMatch(/3 Subscriptions, the most allowed \(maxSubscriptions 3\)/);
    const putCreate = await http(server, 'PUT', 'Subscription/quota-put', { body: { ...body, id: 'quota-put' } });
    expect(putCreate.status).toBe(422);
    // An update of one already held is no create.
    const update = await http(server, 'PUT', `Subscription/${ids[0]}`, { body: { ...body, id: ids[0] } });
    expect(update.status).toBe(200);
    // Other resource types are not limited.
    expect((await http(server, 'POST', 'Patient', { body: { resourceType: 'Patient' } })).status).toBe(201);
    expect((await http(server, 'DELETE', `Subscription/${ids[1]}`)).status).toBe(200);
    expect((await http(server, 'POST', 'Subscription', { body })).status).toBe(201);
    expect((await http(server, 'POST', 'Subscription', { body })).status).toBe(422);
  } finally {
    await server.close();
  }
});

test('each bearer identity has its own allowance', async () => {
  const server = await start({ maxSubscriptions: 1, bearerToken: ['quota-identity-a', 'quota-identity-b'] });
  try {
    const body = subscriptionResource('R5');
    const as = (token: string) => ({ body, headers: { Authorization: `Bearer ${token}` } });
    expect((await http(server, 'POST', 'Subscription', as('quota-identity-a'))).status).toBe(201);
    const refused = await http(server, 'POST', 'Subscription', as('quota-identity-a'));
    expect(refused.status).toBe(422);
    expect((refused.json!.issue as Json[])[0]!.diagnostics).toMatch(/^identity-1 holds 1 Subscriptions/);
    expect((await http(server, 'POST', 'Subscription', as('quota-identity-b'))).status).toBe(201);
  } finally {
    await server.close();
  }
});
