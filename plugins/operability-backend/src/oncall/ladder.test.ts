import type { Entity } from '@backstage/catalog-model';
import type { Snapshot } from '../ownership/CatalogSnapshot';
import { buildOrgIndex } from '../ownership/orgIndex';
import { ON_CALL_FACTS } from '../readiness/builtinFacts';
import { onCallFactsOf } from './onCallFacts';
import { LADDER_LOOKAHEAD_MS, ScheduleOnCall } from './ScheduleOnCall';
import { ScheduleOnCallProvider } from './ScheduleOnCallProvider';

const user = (name: string, displayName: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { profile: { displayName }, memberOf: ['payments'] },
  relations: [{ type: 'memberOf', targetRef: 'group:default/payments' }],
});

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'operability.io/on-call-schedule': 'payments-on-call' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
};

/** Six people, weekly from Monday 2026-01-05 09:00 Toronto time. */
function scheduleEntity(extra: object = {}): Entity {
  return {
    apiVersion: 'operability.io/v1alpha1',
    kind: 'Schedule',
    metadata: { name: 'payments-on-call', namespace: 'default', uid: 'u1' },
    spec: {
      owner: 'group:default/payments',
      timeZone: 'America/Toronto',
      handoff: { start: '2026-01-05T09:00', turn: 'P1W' },
      primary: ['alice', 'bob', 'carol', 'dan', 'erin', 'grace'],
      secondary: 'next-in-rotation',
      ...extra,
    },
  };
}

function snapshotWith(schedule: Entity): Snapshot {
  const users = [
    user('alice', 'Alice'),
    user('bob', 'Bob'),
    user('frank', 'Frank'),
  ];
  return {
    org: buildOrgIndex([group], users),
    entities: [component],
    byRef: new Map([['component:default/payments-api', component]]),
    schedules: new Map([['schedule:default/payments-on-call', schedule]]),
    loadedAt: new Date(),
  };
}

/** Frank covers a day as primary, after the spring-forward change (09:00 EDT = 13:00Z). */
const frankOverride = {
  role: 'primary',
  user: 'frank',
  start: '2026-03-09T09:00',
  end: '2026-03-10T09:00',
};

async function rotationAt(schedule: Entity, at: Date) {
  const snapshot = snapshotWith(schedule);
  const provider = new ScheduleOnCallProvider({
    scheduleOnCall: new ScheduleOnCall(),
    snapshot: { get: async () => snapshot, peek: () => snapshot },
  });
  const rotations = await provider.getRotations({
    entities: [component],
    at,
  });
  return {
    rotation: rotations.get('component:default/payments-api')!,
    snapshot,
  };
}

describe('the ladder from a Schedule', () => {
  const after = new Date('2026-04-01T00:00:00Z');

  it('finds nobody when everyone is secondary the week before', async () => {
    const { rotation } = await rotationAt(scheduleEntity(), after);
    expect(rotation.timeZone).toBe('America/Toronto');
    expect(rotation.ladder).toEqual([]);
  });

  it('names whom an override makes primary first, with the instant and the people tied to users', async () => {
    const { rotation } = await rotationAt(
      scheduleEntity({ overrides: [frankOverride] }),
      after,
    );
    expect(rotation.ladder).toEqual([
      {
        person: { ref: 'user:default/frank', title: 'Frank' },
        firstPrimary: '2026-03-09T13:00:00.000Z',
        override: true,
      },
    ]);
  });

  it('lets a shadow week before the first primary turn count', async () => {
    const { rotation } = await rotationAt(
      scheduleEntity({
        overrides: [frankOverride],
        shadows: [
          { user: 'frank', start: '2026-03-02T09:00', end: '2026-03-09T09:00' },
        ],
      }),
      after,
    );
    expect(rotation.ladder).toEqual([]);
  });

  it('judges first turns up to the instant and the four weeks after it', async () => {
    const firstPrimary = Date.parse('2026-03-09T13:00:00Z');
    const schedule = scheduleEntity({ overrides: [frankOverride] });
    const justBefore = new Date(firstPrimary - LADDER_LOOKAHEAD_MS);
    expect((await rotationAt(schedule, justBefore)).rotation.ladder).toEqual(
      [],
    );
    const within = new Date(firstPrimary - LADDER_LOOKAHEAD_MS + 1);
    expect((await rotationAt(schedule, within)).rotation.ladder).toHaveLength(
      1,
    );
    expect(LADDER_LOOKAHEAD_MS).toBe(28 * 86_400_000);
  });

  it('reuses one computation for later instants, and answers earlier ones from it', async () => {
    const schedule = scheduleEntity({ overrides: [frankOverride] });
    const snapshot = snapshotWith(schedule);
    const scheduleOnCall = new ScheduleOnCall();
    const late = scheduleOnCall.ladderOf(component, snapshot, after);
    const early = scheduleOnCall.ladderOf(
      component,
      snapshot,
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(late?.skips).toHaveLength(1);
    expect(early?.skips).toEqual([]);
  });

  it('has no ladder for an invalid schedule', async () => {
    const snapshot = snapshotWith(scheduleEntity({ timeZone: 'Mars/Base' }));
    expect(
      new ScheduleOnCall().ladderOf(component, snapshot, after),
    ).toBeUndefined();
  });

  it('becomes the on-call.ladder fact: refs, with evidence in the rotation’s local time', async () => {
    const { rotation, snapshot } = await rotationAt(
      scheduleEntity({ overrides: [frankOverride] }),
      after,
    );
    const facts = onCallFactsOf(
      component,
      snapshot,
      null,
      { rotation },
      '2026-04-01T00:00:00.000Z',
    );
    expect(facts[ON_CALL_FACTS.ladder]).toEqual({
      value: ['user:default/frank'],
      source: 'on-call:component:default/payments-api',
      collectedAt: '2026-04-01T00:00:00.000Z',
      evidence: [
        {
          kind: 'member',
          text: 'user:default/frank: first primary turn 2026-03-09 09:00 America/Toronto (an override), never secondary or shadow before',
        },
      ],
    });
  });

  it('marks the fact stale with a kept rotation, and leaves it out without a ladder', async () => {
    const { rotation, snapshot } = await rotationAt(scheduleEntity(), after);
    const stale = onCallFactsOf(
      component,
      snapshot,
      null,
      {
        rotation,
        stale: { since: '2026-03-31T00:00:00.000Z', reason: 'down' },
      },
      '2026-04-01T00:00:00.000Z',
    );
    expect(stale[ON_CALL_FACTS.ladder]).toMatchObject({
      value: [],
      collectedAt: '2026-03-31T00:00:00.000Z',
      staleReason: 'down',
    });
    // A rotation from a provider that cannot tell (PagerDuty): no fact.
    const { ladder: _, ...withoutLadder } = rotation;
    const facts = onCallFactsOf(
      component,
      snapshot,
      null,
      { rotation: withoutLadder },
      '2026-04-01T00:00:00.000Z',
    );
    expect(facts).not.toHaveProperty([ON_CALL_FACTS.ladder]);
    expect(facts).toHaveProperty([ON_CALL_FACTS.rotationSize]);
  });
});
