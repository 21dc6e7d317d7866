/**
 * The topics the server can notify about. Built in: Patient create, canonical
 * http://example.org/fhir/SubscriptionTopic/patient-create (SubscriptionTopic id patient-create).
 * R5 and R4B serve them as SubscriptionTopic resources; R4 has no such resource, so the
 * CapabilityStatement advertises their canonicals with the backport's discovery extension.
 */
import type { TopicDefinition, TopicInteraction } from './options.js';
import type { FhirResource } from './store.js';

export const PATIENT_CREATE_TOPIC: Readonly<TopicDefinition> = Object.freeze<TopicDefinition>({
  id: 'patient-create',
  url: 'http://example.org/fhir/SubscriptionTopic/patient-create',
  resourceType: 'Patient',
  interactions: ['create'],
  title: 'Patient created',
});

export const BUILT_IN_TOPICS: readonly TopicDefinition[] = [PATIENT_CREATE_TOPIC];

export class TopicCatalogue {
  readonly topics: readonly TopicDefinition[];

  constructor(extra: readonly TopicDefinition[]) {
    this.topics = [...BUILT_IN_TOPICS, ...extra];
  }

  byUrl(url: string): TopicDefinition | undefined {
    return this.topics.find((topic) => topic.url === url);
  }

  /** Resource types some topic watches: the server stores and serves those. */
  resourceTypes(): string[] {
    return [...new Set(this.topics.map((topic) => topic.resourceType))];
  }

  matching(resourceType: string, interaction: TopicInteraction): TopicDefinition[] {
    return this.topics.filter((topic) => topic.resourceType === resourceType && topic.interactions.includes(interaction));
  }
}

/** Same shape in R5 and R4B (resourceTrigger.resource is a uri, supportedInteraction a code list). */
export function subscriptionTopicResource(topic: TopicDefinition): FhirResource {
  const title = topic.title ?? `${topic.resourceType} ${topic.interactions.join('/')}`;
  return {
    resourceType: 'SubscriptionTopic',
    id: topic.id,
    url: topic.url,
    title,
    status: 'active',
    description: `Notifies on ${topic.interactions.join(', ')} of ${topic.resourceType} resources.`,
    resourceTrigger: [
      {
        description: title,
        resource: `http://hl7.org/fhir/StructureDefinition/${topic.resourceType}`,
        supportedInteraction: [...topic.interactions],
      },
    ],
    notificationShape: [{ resource: topic.resourceType }],
  };
}
