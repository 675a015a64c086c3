import type { Entity } from '@backstage/catalog-model';
import type { OnCall, StaleMark } from '@opsready/plugin-operability-common';
import type { Snapshot } from '../ownership/CatalogSnapshot';
import { linkPerson } from '../ownership/orgIndex';
import { ON_CALL_FACTS } from '../readiness/builtinFacts';
import {
  collectOnCallFacts,
  type RotationInfo,
} from '../readiness/collectBuiltinFacts';
import type { FactRecord } from '../readiness/types';
import type { RotationAnswer } from './OnCallService';

/** The facts read from the on-call answer itself. */
const ANSWER_FACTS = [
  ON_CALL_FACTS.covered,
  ON_CALL_FACTS.source,
  ON_CALL_FACTS.primaryAndSecondary,
];

/** The facts read from the rotation behind it. */
const ROTATION_FACTS = [
  ON_CALL_FACTS.rotationSize,
  ON_CALL_FACTS.turnHours,
  ON_CALL_FACTS.ownersShare,
  ON_CALL_FACTS.ladder,
];

/**
 * Marks facts built from a stale answer as fact providers' kept facts are
 * marked: dated when the answer was last good, with the reason, so the checks
 * evaluate on them (and say so) until they are older than the rubric allows.
 */
function markStale(
  facts: Record<string, FactRecord>,
  names: string[],
  stale: StaleMark | undefined,
) {
  if (!stale) return;
  for (const name of names) {
    const record = facts[name];
    if (record) {
      facts[name] = {
        ...record,
        collectedAt: stale.since,
        staleReason: stale.reason,
      };
    }
  }
}

/**
 * The on-call facts of one entity from the on-call service's answer and
 * rotation, with the rotation's people tied to catalog users.
 */
export function onCallFactsOf(
  entity: Entity,
  snapshot: Snapshot,
  answer: OnCall | null,
  rotation: RotationAnswer | undefined,
  collectedAt: string,
): Record<string, FactRecord> {
  const r = rotation?.rotation;
  const info: RotationInfo | undefined = r && {
    members: r.members.map(person => linkPerson(person, snapshot.org).ref),
    ...(r.turn ? { turn: r.turn } : {}),
    ...(r.timeZone ? { timeZone: r.timeZone } : {}),
    ...(r.ladder
      ? {
          ladder: r.ladder.map(skip => ({
            ref: linkPerson(skip.person, snapshot.org).ref,
            firstPrimary: skip.firstPrimary,
            override: skip.override,
          })),
        }
      : {}),
  };
  const facts = collectOnCallFacts(entity, snapshot, answer, info, collectedAt);
  markStale(facts, ANSWER_FACTS, answer?.stale);
  markStale(facts, ROTATION_FACTS, rotation?.stale);
  return facts;
}
