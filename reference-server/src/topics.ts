/**
 * The topics the server can notify about. Built in: Patient create, canonical
 * http://example.org/fhir/SubscriptionTopic/patient-create (SubscriptionTopic id patient-create).
 * R5 and R4B serve them as SubscriptionTopic resources; R4 has no such resource, so the
 * CapabilityStatement advertises their canonicals with the backport's discovery extension.
 *
 * With `resourceTypeCriteria` (variant criteria-resource-type, R4/R4B only), a resource type the
 * server stores also works as a topic, the way classic R4 criteria (and Medplum) read it:
 * criteria "Patient" fires on every create and update of a Patient.
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

export interface CatalogueOptions {
  /** Accept a stored resource type ("Patient") where a topic canonical is expected. */
  resourceTypeCriteria?: boolean;
}

/** What a resource-type criteria fires on (classic R4 criteria: creates and updates). */
const RESOURCE_TYPE_CRITERIA_INTERACTIONS: readonly TopicInteraction[] = ['create', 'update'];

export class TopicCatalogue {
  readonly topics: readonly TopicDefinition[];
  private readonly resourceTypeCriteria: boolean;

  constructor(extra: readonly TopicDefinition[], options: CatalogueOptions = {}) {
    this.topics = [...BUILT_IN_TOPICS, ...extra];
    this.resourceTypeCriteria = options.resourceTypeCriteria ?? false;
  }

  /** The topic a Subscription names: a canonical, or (resourceTypeCriteria) a stored resource type. */
  byUrl(url: string): TopicDefinition | undefined {
    return this.topics.find((topic) => topic.url === url) ?? this.resourceTypeTopic(url);
  }

  /** For messages: what a Subscription may name here. */
  describeAccepted(): string {
    const canonicals = this.topics.map((topic) => topic.url).join(', ');
    return this.resourceTypeCriteria ? `${canonicals}, or a resource type: ${this.resourceTypes().join(', ')}` : canonicals;
  }

  /** Resource types some topic watches: the server stores and serves those. */
  resourceTypes(): string[] {
    return [...new Set(this.topics.map((topic) => topic.resourceType))];
  }

  matching(resourceType: string, interaction: TopicInteraction): TopicDefinition[] {
    const typeTopic = this.resourceTypeTopic(resourceType);
    return [...this.topics, ...(typeTopic ? [typeTopic] : [])].filter(
      (topic) => topic.resourceType === resourceType && topic.interactions.includes(interaction),
    );
  }

  private resourceTypeTopic(name: string): TopicDefinition | undefined {
    if (!this.resourceTypeCriteria || !this.resourceTypes().includes(name)) return undefined;
    return { id: `type-${name}`, url: name, resourceType: name, interactions: [...RESOURCE_TYPE_CRITERIA_INTERACTIONS] };
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
