import { test } from '@playwright/test';
import { FAULT_TABLE, roleOn } from '../../reference-server/src/faults.js';
import { runSuiteAgainstReference } from './in-process-suite.js';
test('many', async () => {
  test.setTimeout(900_000);
  const entries = FAULT_TABLE.filter((e) => e.kind === 'fault');
  const t0 = Date.now(); const c0 = process.cpuUsage();
  const queue = [...entries];
  const lines: string[] = [];
  await Promise.all(Array.from({ length: Number(process.env.PAR ?? 8) }, async () => { for (let e; (e = queue.shift()); ) {
    const v = (['R5', 'R4B', 'R4'] as const).find((x) => roleOn(e!, x) === 'fault')!;
    const ttl = e.catches.some((c) => c.startsWith('expiry.')) ? Number(process.env.ETTL ?? 8) : 30;
    const r = await runSuiteAgainstReference({ fhirVersion: process.env.V as any ?? v, faults: [e.name, ...(process.env.PLUS ? [process.env.PLUS] : [])], tokenFormat: e.impliesTokenFormat, tokenTtlSeconds: ttl, bindForm: process.env.BF as any });
    const by = (o: string) => [...r.values()].filter((x) => x.outcome === o).map((x) => x.id).sort();
    const exp = new Set<string>([...e.catches, ...(e.alsoWarns ?? [])]);
    const bad = [...by('failed'), ...by('warning'), ...by('error')].filter((id) => !exp.has(id) && id !== 'outputs.websocket-url.wss');
    const missing = e.catches.filter((c) => r.get(c)?.outcome !== e.expect);
    const blocked = [...r.values()].filter((x) => x.outcome === 'blocked').map((x) => `${x.id}<${x.blockedBy}`);
    lines.push(`${e.name} [${v}] ${bad.length || missing.length ? 'WRONG' : 'ok'} extra=${bad.map((id) => `${id}:${r.get(id)!.outcome}`).join(',')} missing=${missing.map((id)=>`${id}:${r.get(id)?.outcome}`).join(',')} blocked=${blocked.length}`);
    if (bad.length) for (const id of bad) lines.push(`    ${id}: ${r.get(id)!.reason?.slice(0, 300)}`);
    if (process.env.SHOWBLOCKED) lines.push(`    blocked: ${blocked.join(' ')}`);
  } }));
  const c = process.cpuUsage(c0);
  console.log(lines.sort().join('\n'));
  console.log(`### ${entries.length} runs: ${Date.now() - t0} ms wall, cpu ${(c.user + c.system) / 1000} ms`);
});
