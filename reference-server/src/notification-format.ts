/**
 * The wire format of a notification: the MIME type its Subscription asked for (WS-11: SHALL),
 * FHIR XML for application/fhir+xml (or application/xml), JSON otherwise. Fault
 * xml-answered-in-json ignores the request and always sends JSON.
 */
import type { ActiveFaults } from './faults.js';
import { resourceToXml } from './fhir-xml.js';
import type { FhirResource } from './store.js';
import type { SubscriptionModel } from './subscriptions.js';

export function isXmlMimeType(contentType: string): boolean {
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  return essence === 'application/fhir+xml' || essence === 'application/xml';
}

export function serializeNotification(bundle: FhirResource, subscription: SubscriptionModel, faults: ActiveFaults): string {
  if (isXmlMimeType(subscription.contentType) && !faults.has('xml-answered-in-json')) return resourceToXml(bundle);
  return JSON.stringify(bundle);
}
