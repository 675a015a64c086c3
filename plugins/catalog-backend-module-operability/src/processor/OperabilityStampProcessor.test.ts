import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATIONS,
  CatalogStamp,
  LABELS,
  STAMPED_ANNOTATIONS,
} from '@opsready/plugin-operability-common';
import { StampSource } from '../stamps/StampSource';
import { OperabilityStampProcessor } from './OperabilityStampProcessor';

const entity = (
  name: string,
  annotations: Record<string, string> = {},
  kind = 'Component',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', annotations, labels: { tier: '1' } },
  spec: {},
});

const stamps: CatalogStamp[] = [
  {
    entityRef: 'component:default/a',
    score: 85,
    level: 'silver',
    ownerTeam: 'group:default/payments',
    onCallSchedule: 'schedule:default/payments-on-call',
    onCallInheritedFrom: 'system:default/payments-platform',
  },
  {
    entityRef: 'component:default/b',
    score: 20,
    level: 'none',
    ownerTeam: null,
  },
];

function setup(items: CatalogStamp[] = stamps) {
  const state = { fail: false };
  const fetch = jest.fn(async (_url: string, _init: RequestInit) => {
    if (state.fail) return new Response('down', { status: 503 });
    return new Response(JSON.stringify({ items }), { status: 200 });
  });
  const source = new StampSource({
    discovery: mockServices.discovery(),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    ttlMs: 60_000,
    fetch: fetch as unknown as typeof globalThis.fetch,
  });
  return {
    processor: new OperabilityStampProcessor(source),
    fetch,
    state,
    source,
  };
}

describe('OperabilityStampProcessor', () => {
  it('stamps level, score, team and resolved schedule, with one request for many entities', async () => {
    const { processor, fetch } = setup();
    const [a, b, c] = await Promise.all([
      processor.preProcessEntity(entity('a')),
      processor.preProcessEntity(entity('b')),
      processor.preProcessEntity(entity('c')),
    ]);
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toMatch(/\/api\/operability\/v1\/catalog-stamps$/);
    expect((init.headers as Record<string, string>).Authorization).toMatch(
      /^Bearer /,
    );
    expect(a.metadata.labels).toEqual({
      tier: '1',
      'operability.io/level': 'silver',
    });
    expect(a.metadata.annotations).toEqual({
      'operability.io/score': '85',
      'operability.io/owner-team': 'group:default/payments',
      'operability.io/resolved-on-call-schedule':
        'schedule:default/payments-on-call',
      'operability.io/resolved-on-call-schedule-inherited-from':
        'system:default/payments-platform',
    });
    expect(b.metadata.labels?.['operability.io/level']).toBe('none');
    expect(
      b.metadata.annotations?.['operability.io/owner-team'],
    ).toBeUndefined();
    expect(c).toEqual(entity('c')); // not evaluated yet: untouched
  });

  it('keeps the last stamps when the operability backend fails', async () => {
    const { processor, fetch, state, source } = setup();
    await processor.preProcessEntity(entity('a'));
    state.fail = true;
    (source as any).fetchedAt = 0; // the TTL has passed
    const a = await processor.preProcessEntity(entity('a'));
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(a.metadata.labels?.['operability.io/level']).toBe('silver');
  });

  // The backend reads the catalog back on its next cycle: a stamp under a
  // declared key would come back as a declaration.
  it.each(['Component', 'System', 'Group', 'API', 'Resource'])(
    'never writes a key teams declare, on a %s',
    async kind => {
      const ref = `${kind.toLocaleLowerCase('en-US')}:default/x`;
      const { processor } = setup([
        {
          entityRef: ref,
          score: 62,
          level: 'bronze',
          ownerTeam: 'group:default/search',
          onCallSchedule: 'schedule:default/search-on-call',
          onCallInheritedFrom: 'group:default/search',
        },
      ]);
      const declared = { 'operability.io/runbook': 'https://runbooks/x' };
      const stamped = await processor.preProcessEntity(
        entity('x', declared, kind),
      );
      const annotations = stamped.metadata.annotations!;
      for (const key of Object.values(ANNOTATIONS)) {
        expect(annotations[key]).toBe(
          (declared as Record<string, string>)[key],
        );
      }
      expect(annotations['operability.io/on-call-schedule']).toBeUndefined();
      expect(annotations[STAMPED_ANNOTATIONS.resolvedOnCallSchedule]).toBe(
        'schedule:default/search-on-call',
      );
      // Everything added is a stamped key.
      const added = [
        ...Object.keys(annotations),
        ...Object.keys(stamped.metadata.labels!),
      ].filter(key => !(key in declared) && key !== 'tier');
      const outputs: string[] = [
        ...Object.values(STAMPED_ANNOTATIONS),
        ...Object.values(LABELS),
      ];
      expect(added.every(key => outputs.includes(key))).toBe(true);
    },
  );

  it('leaves a declared schedule as written, even when the last stamp says inherited', async () => {
    // The stamp was computed before the team declared a schedule of its own.
    const { processor } = setup([
      {
        entityRef: 'component:default/a',
        score: 85,
        level: 'silver',
        ownerTeam: 'group:default/payments',
        onCallSchedule: 'schedule:default/payments-on-call',
        onCallInheritedFrom: 'system:default/payments-platform',
      },
    ]);
    const a = await processor.preProcessEntity(
      entity('a', {
        'operability.io/on-call-schedule': 'schedule:default/ledger-on-call',
      }),
    );
    expect(a.metadata.annotations).toEqual({
      'operability.io/on-call-schedule': 'schedule:default/ledger-on-call',
      'operability.io/score': '85',
      'operability.io/owner-team': 'group:default/payments',
      'operability.io/resolved-on-call-schedule':
        'schedule:default/payments-on-call',
      'operability.io/resolved-on-call-schedule-inherited-from':
        'system:default/payments-platform',
    });
  });

  it("stamps an entity's own schedule as resolved, without where from", async () => {
    const { processor } = setup([
      {
        entityRef: 'system:default/payments-platform',
        score: 70,
        level: 'silver',
        ownerTeam: 'group:default/payments',
        onCallSchedule: 'schedule:default/payments-on-call',
      },
    ]);
    const declared = {
      'operability.io/on-call-schedule': 'payments-on-call',
    };
    const s = await processor.preProcessEntity(
      entity('payments-platform', declared, 'System'),
    );
    expect(s.metadata.annotations).toEqual({
      ...declared,
      'operability.io/score': '70',
      'operability.io/owner-team': 'group:default/payments',
      'operability.io/resolved-on-call-schedule':
        'schedule:default/payments-on-call',
    });
  });

  it('writes only what the stamp says: a schedule no longer resolved is gone', async () => {
    const { processor } = setup([
      {
        entityRef: 'component:default/a',
        score: 40,
        level: 'none',
        ownerTeam: null,
      },
    ]);
    const a = await processor.preProcessEntity(
      entity('a', {
        'operability.io/resolved-on-call-schedule': 'schedule:default/old',
        'operability.io/resolved-on-call-schedule-inherited-from':
          'group:default/old',
        'operability.io/owner-team': 'group:default/old',
      }),
    );
    expect(a.metadata.annotations).toEqual({ 'operability.io/score': '40' });
  });
});
