import type { FactDefinition } from '@opsready/plugin-operability-node';

/**
 * Facts collected by the plugin itself from the catalog and the on-call
 * answers. Modules declare theirs through the fact-providers extension point.
 */
export const CATALOG_FACTS = {
  ownerSet: 'catalog.owner.set',
  ownerResolvedFrom: 'catalog.owner.resolved-from',
  ownerTeam: 'catalog.owner.team',
  teamMembers: 'catalog.owner.team-members',
  teamContact: 'catalog.owner.team-contact',
  lifecycle: 'catalog.lifecycle',
  system: 'catalog.system',
  description: 'catalog.description',
  runbook: 'catalog.runbook',
  dashboard: 'catalog.dashboard',
  techdocs: 'catalog.techdocs',
  tracingAnnotation: 'catalog.tracing-annotation',
} as const;

export const ON_CALL_FACTS = {
  covered: 'on-call.covered',
  source: 'on-call.source',
  primaryAndSecondary: 'on-call.primary-and-secondary',
  rotationSize: 'on-call.rotation-size',
  turnHours: 'on-call.turn-hours',
  ownersShare: 'on-call.owners-share',
  ladder: 'on-call.ladder',
} as const;

export const CATALOG_FACT_DEFINITIONS: FactDefinition[] = [
  {
    name: CATALOG_FACTS.ownerSet,
    type: 'boolean',
    description: '`spec.owner` is set',
  },
  {
    name: CATALOG_FACTS.ownerResolvedFrom,
    type: 'string',
    description:
      "How the owner led to a team: 'group', 'user', 'dangling' or 'none'",
  },
  {
    name: CATALOG_FACTS.ownerTeam,
    type: 'string',
    description: 'The resolved team ref, or null',
  },
  {
    name: CATALOG_FACTS.teamMembers,
    type: 'number',
    description: 'Members of the owning team and its sub-teams',
  },
  {
    name: CATALOG_FACTS.teamContact,
    type: 'boolean',
    description: 'The owning team has an email or a Slack channel',
  },
  {
    name: CATALOG_FACTS.lifecycle,
    type: 'string',
    description: '`spec.lifecycle`, or null',
  },
  {
    name: CATALOG_FACTS.system,
    type: 'string',
    description: '`spec.system`, or null',
  },
  {
    name: CATALOG_FACTS.description,
    type: 'boolean',
    description: 'The entity has a description',
  },
  {
    name: CATALOG_FACTS.runbook,
    type: 'string[]',
    description:
      'Runbook links: `operability.io/runbook` and links of type runbook',
  },
  {
    name: CATALOG_FACTS.dashboard,
    type: 'string[]',
    description:
      'Dashboards: links of type dashboard, Grafana and Datadog dashboard annotations',
  },
  {
    name: CATALOG_FACTS.techdocs,
    type: 'boolean',
    description: 'TechDocs are set up (`backstage.io/techdocs-ref`)',
  },
  {
    name: CATALOG_FACTS.tracingAnnotation,
    type: 'boolean',
    description:
      'A tracing annotation is present (e.g. Jaeger, Tempo, Lightstep)',
  },
];

export const ON_CALL_FACT_DEFINITIONS: FactDefinition[] = [
  {
    name: ON_CALL_FACTS.covered,
    type: 'boolean',
    description:
      'A schedule or PagerDuty service covers the entity (own or inherited)',
  },
  {
    name: ON_CALL_FACTS.source,
    type: 'string',
    description: "'schedule', 'pagerduty' or null",
  },
  {
    name: ON_CALL_FACTS.primaryAndSecondary,
    type: 'boolean',
    description: 'Right now both a primary and a secondary are on call',
  },
  {
    name: ON_CALL_FACTS.rotationSize,
    type: 'number',
    description:
      'Distinct people in the rotation (primary and secondary lists)',
  },
  {
    name: ON_CALL_FACTS.turnHours,
    type: 'number',
    description: 'Length of a primary turn in hours',
  },
  {
    name: ON_CALL_FACTS.ownersShare,
    type: 'number',
    description:
      'Share (0-1) of the people in the rotation who belong to the owning team or its sub-teams',
  },
  {
    name: ON_CALL_FACTS.ladder,
    type: 'string[]',
    description:
      "Who went straight to primary: User refs of the people whose first primary turn (from the schedule's start up to now and the next 4 weeks) came without a secondary turn or shadow window on the rotation before it. Only for Schedules in the catalog; absent for PagerDuty",
  },
];
