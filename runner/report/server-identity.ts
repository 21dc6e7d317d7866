/**
 * Which server a run tested, for deciding whether two runs tested the same one. The bundled
 * reference server listens on a new ephemeral port each run, so its URL says nothing: two embedded
 * runs are the same server when they ran with the same faults (results.json `server.embedded`).
 */
import type { RunResults } from './results-types.js';

type Server = RunResults['server'];

/** A stable description: the URL, or the bundled reference server and its faults. */
export function serverIdentity(server: Server): string {
  if (!server.embedded) return server.url;
  const faults = [...server.embedded.faults].sort();
  return `the bundled reference server${faults.length > 0 ? ` with faults ${faults.join(', ')}` : ''}`;
}

export function sameServer(a: Server, b: Server): boolean {
  return serverIdentity(a) === serverIdentity(b);
}
