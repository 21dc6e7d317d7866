/**
 * The in-memory resource store. Resources are copied on the way in and out, so no caller can
 * change stored state by accident. Every write is announced to listeners (topics, token
 * revocation); deleted resources leave a tombstone so reads answer 410.
 */
import { randomUUID } from 'node:crypto';
import { formatInstant } from './fhir-primitives.js';

export interface FhirResource {
  resourceType: string;
  id?: string;
  meta?: Record<string, unknown>;
  [element: string]: unknown;
}

export type Interaction = 'create' | 'update' | 'delete';

export interface ResourceChange {
  interaction: Interaction;
  /** The resource after the change; for a delete, the last version before it. */
  resource: FhirResource;
  previous?: FhirResource;
}

export type ReadResult =
  | { state: 'found'; resource: FhirResource }
  | { state: 'deleted'; resource: FhirResource }
  | { state: 'missing' };

type Listener = (change: ResourceChange) => void;

export class ResourceStore {
  private readonly live = new Map<string, Map<string, FhirResource>>();
  private readonly deleted = new Map<string, Map<string, FhirResource>>();
  private readonly listeners: Listener[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** Conformance resources present from the start (no events). */
  seed(resource: FhirResource & { id: string }): void {
    this.bucket(this.live, resource.resourceType).set(resource.id, structuredClone(resource));
  }

  create(resource: FhirResource): FhirResource {
    const stored = this.stamp({ ...structuredClone(resource), id: randomUUID() }, 1);
    this.bucket(this.live, stored.resourceType).set(stored.id!, stored);
    this.announce({ interaction: 'create', resource: stored });
    return structuredClone(stored);
  }

  /** Update, or create with the client's id when none exists (FHIR update-as-create). */
  update(resource: FhirResource & { id: string }): { resource: FhirResource; created: boolean } {
    const previous = this.live.get(resource.resourceType)?.get(resource.id);
    const version = previous ? Number((previous.meta as { versionId?: string }).versionId ?? '1') + 1 : 1;
    const stored = this.stamp(structuredClone(resource), version);
    this.bucket(this.live, stored.resourceType).set(resource.id, stored);
    this.deleted.get(resource.resourceType)?.delete(resource.id);
    this.announce({ interaction: previous ? 'update' : 'create', resource: stored, ...(previous ? { previous } : {}) });
    return { resource: structuredClone(stored), created: !previous };
  }

  delete(resourceType: string, id: string): FhirResource | undefined {
    const previous = this.live.get(resourceType)?.get(id);
    if (!previous) return undefined;
    this.live.get(resourceType)!.delete(id);
    this.bucket(this.deleted, resourceType).set(id, previous);
    this.announce({ interaction: 'delete', resource: previous });
    return structuredClone(previous);
  }

  read(resourceType: string, id: string): ReadResult {
    const found = this.live.get(resourceType)?.get(id);
    if (found) return { state: 'found', resource: structuredClone(found) };
    const gone = this.deleted.get(resourceType)?.get(id);
    if (gone) return { state: 'deleted', resource: structuredClone(gone) };
    return { state: 'missing' };
  }

  list(resourceType: string): FhirResource[] {
    return [...(this.live.get(resourceType)?.values() ?? [])].map((resource) => structuredClone(resource));
  }

  private stamp(resource: FhirResource, version: number): FhirResource {
    resource.meta = { ...(resource.meta ?? {}), versionId: String(version), lastUpdated: formatInstant(this.now()) };
    return resource;
  }

  private bucket(map: Map<string, Map<string, FhirResource>>, resourceType: string): Map<string, FhirResource> {
    let bucket = map.get(resourceType);
    if (!bucket) map.set(resourceType, (bucket = new Map()));
    return bucket;
  }

  private announce(change: ResourceChange): void {
    for (const listener of this.listeners) listener({ ...change, resource: structuredClone(change.resource) });
  }
}
