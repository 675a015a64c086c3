import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { StampSource } from '../stamps/StampSource';
import { OperabilityStampProcessor } from './OperabilityStampProcessor';

const entity = (
  name: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations, labels: { tier: '1' } },
  spec: {},
});

const stamps = [
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

function setup() {
  const state = { fail: false };
  const fetch = jest.fn(async (_url: string, _init: RequestInit) => {
    if (state.fail) return new Response('down', { status: 503 });
    return new Response(JSON.stringify({ items: stamps }), { status: 200 });
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
  it('stamps level, score, team and inherited schedule, with one request for many entities', async () => {
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
      'operability.io/on-call-schedule': 'schedule:default/payments-on-call',
      'operability.io/on-call-schedule-inherited-from':
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
});
