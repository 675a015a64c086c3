import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { entityRefOf } from '@opsready/plugin-operability-common';
import type {
  OnCallProvider,
  OnCallProviderAnswer,
} from '@opsready/plugin-operability-node';
import type {
  OnCallLastGood,
  OnCallLastGoodStore,
} from '../database/OperabilityStore';
import type { CatalogSnapshot, Snapshot } from '../ownership/CatalogSnapshot';
import { buildOrgIndex } from '../ownership/orgIndex';
import { OnCallService } from './OnCallService';
import { orderOnCallProviders } from './providerOrder';

const component = (name: string, pager = false): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    ...(pager ? { annotations: { pager: 'yes' } } : {}),
  },
  spec: { type: 'service', owner: 'team-a' },
});

const snapshot = {
  async get(): Promise<Snapshot> {
    return {
      org: buildOrgIndex([], []),
      entities: [],
      byRef: new Map(),
      schedules: new Map(),
      loadedAt: new Date(),
    };
  },
} as unknown as CatalogSnapshot;

function memoryStore(): OnCallLastGoodStore & { saved: OnCallLastGood } {
  const saved: OnCallLastGood = { answers: [], rotations: [] };
  const upsert = <T extends { entityRef: string; provider: string }>(
    list: T[],
    rows: T[],
  ) => {
    for (const row of rows) {
      const i = list.findIndex(
        x => x.entityRef === row.entityRef && x.provider === row.provider,
      );
      if (i >= 0) list[i] = row;
      else list.push(row);
    }
  };
  return {
    saved,
    async loadOnCallLastGood() {
      return { answers: [...saved.answers], rotations: [...saved.rotations] };
    },
    async saveOnCallLastGood(rows) {
      upsert(saved.answers, rows.answers);
      upsert(saved.rotations, rows.rotations);
    },
  };
}

/** A provider for the entities it is told to cover, with a call log and faults. */
function provider(
  id: string,
  covers: (e: Entity) => boolean,
  person = `user:default/${id}-person`,
) {
  const control = {
    calls: [] as string[][],
    fail: undefined as string | undefined,
    unknown: false,
    delayMs: 0,
    /** When answers say they were obtained; default the instant asked. */
    asOf: undefined as string | undefined,
  };
  const p: OnCallProvider = {
    id,
    covers,
    async getOnCall({ entities, at }) {
      control.calls.push(entities.map(entityRefOf));
      if (control.delayMs) {
        await new Promise(resolve => setTimeout(resolve, control.delayMs));
      }
      if (control.fail) throw new Error(control.fail);
      // Without `shadows`, as a provider whose source has none may answer.
      return new Map<string, OnCallProviderAnswer>(
        entities.map(e => [
          entityRefOf(e),
          control.unknown
            ? {
                source: id,
                primary: null,
                secondary: null,
                until: null,
                status: 'unknown',
                reason: `${id} answered 503`,
                asOf: at.toISOString(),
              }
            : {
                source: id,
                primary: { ref: person },
                secondary: null,
                until: null,
                status: 'ok',
                asOf: control.asOf ?? at.toISOString(),
              },
        ]),
      );
    },
  };
  return { provider: p, control };
}

describe('OnCallService', () => {
  let now = new Date('2026-03-02T10:00:00Z');
  const clock = () => now;
  beforeEach(() => {
    now = new Date('2026-03-02T10:00:00Z');
  });

  function service(providers: OnCallProvider[], store = memoryStore()) {
    return new OnCallService({
      providers,
      store,
      snapshot,
      logger: mockServices.logger.mock(),
      requestBudgetMs: 100,
      clock,
    });
  }

  it('answers each entity from the first provider that covers it, one call per provider for the batch', async () => {
    const pager = provider('pager', e => Boolean(e.metadata.annotations));
    const schedule = provider('schedule', e => e.metadata.name !== 'lone');
    const onCall = service([pager.provider, schedule.provider]);
    const entities = [
      component('a', true),
      component('b'),
      component('c', true),
      component('lone'),
    ];
    const answers = await onCall.getOnCall({ entities, at: now });
    expect(answers.get('component:default/a')).toMatchObject({
      source: 'pager',
      status: 'ok',
    });
    expect(answers.get('component:default/b')?.source).toBe('schedule');
    expect(answers.get('component:default/c')?.source).toBe('pager');
    expect(answers.get('component:default/lone')).toBeNull();
    expect(pager.control.calls).toEqual([
      ['component:default/a', 'component:default/c'],
    ]);
    expect(schedule.control.calls).toEqual([['component:default/b']]);
  });

  it("names the answering provider's id as the source", async () => {
    const odd = provider('opsgenie', () => true);
    const onCall = service([odd.provider]);
    const answers = await onCall.getOnCall({
      entities: [component('a')],
      at: now,
    });
    expect(answers.get('component:default/a')?.source).toBe('opsgenie');
  });

  it.each([
    [
      'throws',
      (c: any) => (c.fail = 'connection refused'),
      'pager failed: connection refused',
    ],
    ['answers unknown', (c: any) => (c.unknown = true), 'pager answered 503'],
  ])(
    'keeps the last good answer, marked stale, when the provider %s',
    async (_, breakIt, reason) => {
      const pager = provider('pager', () => true);
      const store = memoryStore();
      const onCall = service([pager.provider], store);
      const entities = [component('a')];
      await onCall.getOnCall({ entities, at: now });
      breakIt(pager.control);
      now = new Date('2026-03-02T10:30:00Z');
      const answer = (await onCall.getOnCall({ entities, at: now })).get(
        'component:default/a',
      );
      expect(answer).toMatchObject({
        source: 'pager',
        status: 'ok',
        primary: { ref: 'user:default/pager-person' },
        asOf: '2026-03-02T10:00:00.000Z',
        stale: { since: '2026-03-02T10:00:00.000Z', reason },
      });

      // After a restart: the stored last good answer.
      const restarted = service([pager.provider], store);
      expect(
        (await restarted.getOnCall({ entities, at: now })).get(
          'component:default/a',
        ),
      ).toMatchObject({
        status: 'ok',
        stale: { since: '2026-03-02T10:00:00.000Z', reason },
      });
    },
  );

  it('answers no shadows when a provider leaves them out: fresh, kept, stored before shadows, unknown', async () => {
    const pager = provider('pager', () => true);
    const store = memoryStore();
    const onCall = service([pager.provider], store);
    const entities = [component('a'), component('b')];
    const first = await onCall.getOnCall({ entities, at: now });
    expect(first.get('component:default/a')?.shadows).toEqual([]);
    // A last good answer stored before answers had shadows.
    const { shadows: _, ...old } = store.saved.answers[0].answer;
    store.saved.answers[0] = { ...store.saved.answers[0], answer: old as any };
    store.saved.answers.pop();
    pager.control.fail = 'connection refused';
    const restarted = service([pager.provider], store);
    const answers = await restarted.getOnCall({ entities, at: now });
    expect(answers.get('component:default/a')).toMatchObject({
      shadows: [],
      stale: { reason: 'pager failed: connection refused' },
    });
    expect(answers.get('component:default/b')).toMatchObject({
      status: 'unknown',
      shadows: [],
    });
    pager.control.fail = undefined;
    pager.control.unknown = true;
    const unknown = await service([pager.provider]).getOnCall({
      entities,
      at: now,
    });
    expect(unknown.get('component:default/a')).toMatchObject({
      status: 'unknown',
      shadows: [],
    });
  });

  it('answers unknown with the reason when there never was a good answer', async () => {
    const pager = provider('pager', () => true);
    pager.control.fail = 'connection refused';
    const onCall = service([pager.provider]);
    const answer = (
      await onCall.getOnCall({ entities: [component('a')], at: now })
    ).get('component:default/a');
    expect(answer).toEqual({
      source: 'pager',
      primary: null,
      secondary: null,
      shadows: [],
      until: null,
      status: 'unknown',
      reason: 'pager failed: connection refused',
      asOf: now.toISOString(),
    });
  });

  it('does not answer another instant with the last good "now" answer', async () => {
    const pager = provider('pager', () => true);
    const onCall = service([pager.provider]);
    const entities = [component('a')];
    await onCall.getOnCall({ entities, at: now });
    pager.control.fail = 'down';
    const answer = (
      await onCall.getOnCall({
        entities,
        at: new Date('2026-02-01T00:00:00Z'),
      })
    ).get('component:default/a');
    expect(answer).toMatchObject({ status: 'unknown', primary: null });
    expect(answer?.stale).toBeUndefined();
  });

  it('answers within the budget from the last good answer, and lets the late answer refresh it', async () => {
    const pager = provider('pager', () => true);
    const onCall = service([pager.provider]);
    const entities = [component('a')];
    await onCall.getOnCall({ entities, at: now });
    pager.control.delayMs = 400;
    const started = Date.now();
    const [first, second] = await Promise.all([
      onCall.getOnCall({ entities, at: now }),
      onCall.getOnCall({ entities, at: now }),
    ]);
    expect(Date.now() - started).toBeLessThan(350);
    for (const answers of [first, second]) {
      expect(answers.get('component:default/a')).toMatchObject({
        status: 'ok',
        stale: {
          since: '2026-03-02T10:00:00.000Z',
          reason: 'pager did not answer within 0.1 s',
        },
      });
    }
    // Both requests shared one provider call.
    expect(pager.control.calls).toHaveLength(2);

    // The late answer arrives and becomes the last good one.
    pager.control.asOf = '2026-03-02T10:00:30.000Z';
    now = new Date('2026-03-02T10:00:30Z');
    await new Promise(resolve => setTimeout(resolve, 450));
    pager.control.fail = 'down';
    pager.control.delayMs = 0;
    expect(
      (await onCall.getOnCall({ entities, at: now })).get('component:default/a')
        ?.stale?.since,
    ).toBe('2026-03-02T10:00:30.000Z');
  });

  it('keeps the last good rotation, marked stale, when reading rotations fails', async () => {
    let fail = false;
    const pager: OnCallProvider = {
      ...provider('pager', () => true).provider,
      async getRotations({ entities }) {
        if (fail) throw new Error('schedules unreadable');
        return new Map(
          entities.map(e => [
            entityRefOf(e),
            {
              members: [{ ref: 'user:default/ann' }],
              turn: 'P7D',
              source: 's',
            },
          ]),
        );
      },
    };
    const store = memoryStore();
    const entities = [component('a')];
    await service([pager], store).getRotations({ entities });
    fail = true;
    now = new Date('2026-03-02T11:00:00Z');
    const rotations = await service([pager], store).getRotations({ entities });
    expect(rotations.get('component:default/a')).toEqual({
      rotation: {
        members: [{ ref: 'user:default/ann' }],
        turn: 'P7D',
        source: 's',
      },
      stale: {
        since: '2026-03-02T10:00:00.000Z',
        reason: 'pager could not read rotations: schedules unreadable',
      },
    });
  });
});

describe('orderOnCallProviders', () => {
  const p = (id: string) => provider(id, () => true).provider;
  const ids = (list: OnCallProvider[]) => list.map(x => x.id);

  it('puts the schedules last by default, the others in registration order', () => {
    expect(
      ids(
        orderOnCallProviders(
          [p('schedule'), p('pagerduty'), p('x')],
          undefined,
        ),
      ),
    ).toEqual(['pagerduty', 'x', 'schedule']);
  });

  it('follows the configured order, and only it', () => {
    expect(
      ids(orderOnCallProviders([p('pagerduty'), p('schedule')], ['schedule'])),
    ).toEqual(['schedule']);
    expect(
      ids(
        orderOnCallProviders(
          [p('pagerduty'), p('schedule')],
          ['schedule', 'pagerduty'],
        ),
      ),
    ).toEqual(['schedule', 'pagerduty']);
  });

  it('stops start-up on an id no provider has, naming the config key', () => {
    expect(() =>
      orderOnCallProviders([p('schedule')], ['pagerduty', 'schedule']),
    ).toThrow(
      "Invalid config at 'operability.onCall.providers': no installed on-call provider has the id 'pagerduty'; installed: schedule",
    );
  });
});
