import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATIONS,
  EntityRef,
  entityRefOf,
  OnCall,
} from '@opsready/plugin-operability-common';
import { DateTime, Duration } from 'luxon';
import type { Snapshot } from '../ownership/CatalogSnapshot';
import { membersOfTeam, resolveOwnership } from '../ownership/orgIndex';
import { CATALOG_FACTS, ON_CALL_FACTS } from './builtinFacts';
import type { FactRecord } from './types';

/** Annotations of tracing plugins that count as evidence of traces. */
const TRACING_ANNOTATIONS = [
  'jaegertracing.io/service',
  'grafana/tempo-query',
  'lightstep.com/services',
  'honeycomb.io/dataset',
  'datadoghq.com/service-name',
];

type Facts = Record<string, FactRecord>;

function linksOfType(entity: Entity, type: string): string[] {
  return (entity.metadata.links ?? [])
    .filter(l => l.type?.toLowerCase() === type)
    .map(l => l.url);
}

/** Catalog facts of one entity, read from the snapshot. */
export function collectCatalogFacts(
  entity: Entity,
  snapshot: Snapshot,
  collectedAt: string,
): Facts {
  const ref = entityRefOf(entity);
  const source = `catalog:${ref}`;
  const annotations = entity.metadata.annotations ?? {};
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const owner = resolveOwnership(entity, snapshot.org);
  const fact = (
    value: unknown,
    evidence?: FactRecord['evidence'],
  ): FactRecord => ({
    value,
    source,
    collectedAt,
    ...(evidence ? { evidence } : {}),
  });
  const runbooks = [
    ...(annotations[ANNOTATIONS.runbook]
      ? [annotations[ANNOTATIONS.runbook]]
      : []),
    ...linksOfType(entity, 'runbook'),
  ];
  const dashboards = [
    ...linksOfType(entity, 'dashboard'),
    ...[
      ANNOTATIONS.grafanaDashboardSelector,
      ANNOTATIONS.grafanaOverviewDashboard,
      ANNOTATIONS.datadogDashboardUrl,
    ]
      .filter(key => annotations[key])
      .map(key => `${key}: ${annotations[key]}`),
  ];
  const tracing = TRACING_ANNOTATIONS.filter(key => annotations[key]);
  return {
    [CATALOG_FACTS.ownerSet]: fact(
      owner.declared !== null,
      owner.declared ? [{ kind: 'owner', text: owner.declared }] : undefined,
    ),
    [CATALOG_FACTS.ownerResolvedFrom]: fact(owner.resolvedFrom ?? 'none'),
    [CATALOG_FACTS.ownerTeam]: fact(owner.ref),
    [CATALOG_FACTS.teamMembers]: fact(
      owner.members.length,
      owner.members.slice(0, 10).map(m => ({ kind: 'member', text: m.ref })),
    ),
    [CATALOG_FACTS.teamContact]: fact(
      Boolean(owner.contacts.email || owner.contacts.slack),
      [
        ...(owner.contacts.email
          ? [{ kind: 'contact', text: owner.contacts.email }]
          : []),
        ...(owner.contacts.slack
          ? [{ kind: 'contact', text: owner.contacts.slack }]
          : []),
      ],
    ),
    [CATALOG_FACTS.lifecycle]: fact(
      typeof spec.lifecycle === 'string' ? spec.lifecycle : null,
    ),
    [CATALOG_FACTS.system]: fact(
      typeof spec.system === 'string' ? spec.system : null,
    ),
    [CATALOG_FACTS.description]: fact(
      Boolean(entity.metadata.description?.trim()),
    ),
    [CATALOG_FACTS.runbook]: fact(
      runbooks,
      runbooks.map(url => ({ kind: 'link', text: url })),
    ),
    [CATALOG_FACTS.dashboard]: fact(
      dashboards,
      dashboards.map(text => ({ kind: 'link', text })),
    ),
    [CATALOG_FACTS.techdocs]: fact(
      Boolean(annotations[ANNOTATIONS.techdocsRef]),
    ),
    [CATALOG_FACTS.tracingAnnotation]: fact(
      tracing.length > 0,
      tracing.map(key => ({
        kind: 'annotation',
        text: `${key}: ${annotations[key]}`,
      })),
    ),
  };
}

/** What the on-call facts need to know of the rotation behind an answer. */
export interface RotationInfo {
  members: EntityRef[];
  turn?: string;
  /** IANA zone the ladder's times are shown in. */
  timeZone?: string;
  /** Who went straight to primary; absent when the provider cannot tell. */
  ladder?: { ref: EntityRef; firstPrimary: string; override: boolean }[];
}

/**
 * Formatted instants: the same few (first turns of a schedule's people) come
 * back for every entity the schedule covers. Bounded; a cache of a pure
 * function.
 */
const localTimes = new Map<string, string>();

/** `2026-03-09 09:00 America/Toronto`: an instant as the rotation's people read it. */
function localTime(iso: string, zone: string | undefined): string {
  const key = `${iso} ${zone ?? ''}`;
  let text = localTimes.get(key);
  if (text === undefined) {
    const time = DateTime.fromISO(iso, { zone: zone ?? 'utc' });
    text = time.isValid
      ? `${time.toFormat('yyyy-MM-dd HH:mm')} ${zone ?? 'UTC'}`
      : iso;
    if (localTimes.size >= 10_000) localTimes.clear();
    localTimes.set(key, text);
  }
  return text;
}

/**
 * On-call facts of one entity from its on-call answer now and, for schedules,
 * the rotation's people and turn.
 */
export function collectOnCallFacts(
  entity: Entity,
  snapshot: Snapshot,
  onCall: OnCall | null,
  rotation: RotationInfo | undefined,
  collectedAt: string,
): Facts {
  const source = onCall
    ? `${onCall.source}:${onCall.scheduleRef ?? entityRefOf(entity)}`
    : `on-call:${entityRefOf(entity)}`;
  const fact = (
    value: unknown,
    evidence?: FactRecord['evidence'],
  ): FactRecord => ({
    value,
    source,
    collectedAt,
    ...(evidence ? { evidence } : {}),
  });
  const facts: Facts = {
    [ON_CALL_FACTS.covered]: fact(
      onCall !== null,
      onCall?.scheduleRef
        ? [
            {
              kind: 'schedule',
              text: onCall.scheduleRef,
              ...(onCall.inheritedFrom ? { source: onCall.inheritedFrom } : {}),
            },
          ]
        : undefined,
    ),
    [ON_CALL_FACTS.source]: fact(onCall?.source ?? null),
  };
  // When the source failed, "who is on call now" is not known: leave it out.
  if (onCall && onCall.status !== 'unknown') {
    facts[ON_CALL_FACTS.primaryAndSecondary] = fact(
      Boolean(onCall.primary && onCall.secondary),
      [
        ...(onCall.primary
          ? [{ kind: 'primary', text: onCall.primary.ref }]
          : []),
        ...(onCall.secondary
          ? [{ kind: 'secondary', text: onCall.secondary.ref }]
          : []),
      ],
    );
  }
  if (rotation) {
    const people = [...new Set(rotation.members)];
    facts[ON_CALL_FACTS.rotationSize] = fact(
      people.length,
      people.map(ref => ({ kind: 'member', text: ref })),
    );
    if (rotation.turn) {
      const hours = Duration.fromISO(rotation.turn).as('hours');
      if (Number.isFinite(hours)) {
        facts[ON_CALL_FACTS.turnHours] = fact(hours, [
          { kind: 'turn', text: rotation.turn },
        ]);
      }
    }
    if (rotation.ladder) {
      facts[ON_CALL_FACTS.ladder] = fact(
        rotation.ladder.map(skip => skip.ref),
        rotation.ladder.map(skip => ({
          kind: 'member',
          text: `${skip.ref}: first primary turn ${localTime(
            skip.firstPrimary,
            rotation.timeZone,
          )}${
            skip.override ? ' (an override)' : ''
          }, never secondary or shadow before`,
        })),
      );
    }
    const owner = resolveOwnership(entity, snapshot.org);
    if (owner.ref && people.length > 0) {
      const owners = new Set(
        membersOfTeam(snapshot.org, owner.ref).map(m => m.ref),
      );
      const outsiders = people.filter(ref => !owners.has(ref));
      facts[ON_CALL_FACTS.ownersShare] = fact(
        (people.length - outsiders.length) / people.length,
        outsiders.map(ref => ({ kind: 'not-owner', text: ref })),
      );
    }
  }
  return facts;
}
