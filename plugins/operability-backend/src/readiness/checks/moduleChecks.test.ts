import {
  createBackendModule,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  operabilityChecksExtensionPoint,
  operabilityFactProvidersExtensionPoint,
  type FactProvider,
  type OperabilityCheck,
} from '@opsready/plugin-operability-node';
import request from 'supertest';
import { operabilityPlugin } from '../../plugin';
import { createTestDatabases } from '../../__testUtils__/databases';
import { moduleCheckUnit } from './moduleChecks';

// A module as an adopter would write it: a fact provider that does the I/O
// (here, answers from a table) and a check that judges the fact it declares.

const SCANNED = 'images.scanned';

const scannedAt: Record<string, boolean> = {
  'component:default/scanned': true,
  'component:default/unscanned': false,
  // component:default/never: the provider has no answer, so the fact is
  // never collected and the check is unknown.
};

const imagesProvider: FactProvider = {
  id: 'images',
  facts: [
    {
      name: SCANNED,
      type: 'boolean',
      description: 'The container image was scanned',
    },
  ],
  async collect({ entities }) {
    const facts = new Map();
    for (const entity of entities) {
      const ref =
        `${entity.kind}:default/${entity.metadata.name}`.toLowerCase();
      if (ref in scannedAt) {
        facts.set(ref, [
          {
            name: SCANNED,
            value: scannedAt[ref],
            source: 'registry.example.com',
            collectedAt: new Date().toISOString(),
          },
        ]);
      }
    }
    return { facts };
  },
};

const imageScanned: OperabilityCheck = {
  id: 'security.image-scanned',
  title: 'Container image scanned',
  level: 'bronze',
  description:
    'Known vulnerabilities in a production image are found before an attacker finds them.',
  remediation: 'Add the `trivy image` step to the build pipeline.',
  filter: { kind: ['Component'], type: ['service'] },
  facts: [SCANNED],
  evaluate: ({ facts }) => {
    const scanned = facts[SCANNED].value;
    if (typeof scanned !== 'boolean') {
      return { status: 'unknown', message: 'scan state is not a boolean' };
    }
    return scanned
      ? {
          status: 'pass',
          message: 'the image is scanned',
          evidence: [
            {
              kind: 'registry',
              text: 'scanned',
              source: facts[SCANNED].source,
            },
          ],
        }
      : { status: 'fail', message: 'the image is not scanned' };
  },
};

/** A module adding `checks` (and, unless told otherwise, the provider). */
function checksModule(
  checks: OperabilityCheck[],
  options: { moduleId?: string; provider?: boolean } = {},
): BackendFeature {
  const { moduleId = 'test-checks', provider = true } = options;
  return createBackendModule({
    pluginId: 'operability',
    moduleId,
    register(env) {
      env.registerInit({
        deps: {
          facts: operabilityFactProvidersExtensionPoint,
          checks: operabilityChecksExtensionPoint,
        },
        async init({ facts, checks: ep }) {
          if (provider) facts.addFactProvider(imagesProvider);
          ep.addChecks(...checks);
        },
      });
    },
  });
}

function service(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', description: name },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
  };
}

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'team', profile: { email: 'pay@example.com' }, children: [] },
  },
  service('scanned'),
  service('unscanned'),
  service('never'),
];

/** Config for the plugin: the cycle runs at start-up (no initial delay). */
function config(rubric?: object) {
  return mockServices.rootConfig.factory({
    data: {
      operability: {
        readiness: {
          schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
        },
        ...(rubric ? { rubric } : {}),
      },
    },
  });
}

/** The score the plugin's formula gives for some results. */
function scoreOf(checks: { status: string; weight: number }[]): number {
  let passed = 0;
  let counted = 0;
  for (const c of checks) {
    if (c.status === 'pass') passed += c.weight;
    if (['pass', 'fail', 'unknown'].includes(c.status)) counted += c.weight;
  }
  return Math.round((100 * passed) / counted);
}

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'a check added by a module (%s)',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let knex: Awaited<ReturnType<typeof databases.init>>;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startTestBackend({
        features: [
          operabilityPlugin,
          checksModule([imageScanned]),
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          // Configured like a built-in: by id, here a weight of its own.
          config({ checks: [{ id: 'security.image-scanned', weight: 5 }] }),
        ],
      });
    });

    afterAll(async () => {
      await backend?.stop();
    });

    async function readinessOf(name: string) {
      const res = await request(backend.server).get(
        `/api/operability/v1/entities/component/default/${name}`,
      );
      expect(res.status).toBe(200);
      return res.body.readiness;
    }

    it('reaches the entity report with its message, evidence, why and how to fix', async () => {
      const readiness = await readinessOf('scanned');
      const result = readiness.checks.find(
        (c: { id: string }) => c.id === 'security.image-scanned',
      );
      expect(result).toEqual({
        id: 'security.image-scanned',
        title: 'Container image scanned',
        category: 'security',
        level: 'bronze',
        weight: 5,
        status: 'pass',
        message: 'the image is scanned',
        evidence: [
          { kind: 'registry', text: 'scanned', source: 'registry.example.com' },
        ],
        description: imageScanned.description,
        remediation: imageScanned.remediation,
      });
    });

    it('fails, or is unknown when its fact was never collected', async () => {
      const find = (r: any) =>
        r.checks.find((c: any) => c.id === 'security.image-scanned');
      expect(find(await readinessOf('unscanned'))).toMatchObject({
        status: 'fail',
        message: 'the image is not scanned',
        remediation: imageScanned.remediation,
      });
      expect(find(await readinessOf('never'))).toMatchObject({
        status: 'unknown',
        message: expect.stringContaining(`fact ${SCANNED} was never collected`),
      });
    });

    it('counts in the score', async () => {
      for (const name of ['scanned', 'unscanned']) {
        const readiness = await readinessOf(name);
        expect(readiness.score).toBe(scoreOf(readiness.checks));
        const others = readiness.checks.filter(
          (c: { id: string }) => c.id !== 'security.image-scanned',
        );
        // Its weight of 5 moves the score: without it the score differs.
        expect(scoreOf(others)).not.toBe(readiness.score);
      }
    });

    it('is stored without its remediation, which is joined when read', async () => {
      const row = await knex('operability_reports')
        .where({ entity_ref: 'component:default/scanned' })
        .first();
      // Stored as its result only (status, message, evidence): the rubric
      // has its title, remediation and description.
      const stored = JSON.parse(row.readiness);
      expect(stored.checks['security.image-scanned'][0]).toBe('p');
      expect(row.readiness).not.toContain(imageScanned.remediation);
      expect(row.readiness).not.toContain(imageScanned.description);
      expect(row.readiness).not.toContain('Container image scanned');
    });

    it('is listed by GET /v1/checks after the built-in checks', async () => {
      const res = await request(backend.server).get(
        '/api/operability/v1/checks',
      );
      expect(res.status).toBe(200);
      const items = res.body.items;
      expect(items).toHaveLength(27);
      expect(items[26]).toEqual({
        id: 'security.image-scanned',
        title: 'Container image scanned',
        category: 'security',
        level: 'bronze',
        rank: 1,
        weight: 5,
        description: imageScanned.description,
        remediation: imageScanned.remediation,
        filter: { kind: ['Component'], type: ['service'] },
        evaluator: 'security.image-scanned',
      });
    });
  },
);

describe('module checks at start-up', () => {
  async function start(features: BackendFeature[], rubric?: object) {
    return startTestBackend({
      features: [
        operabilityPlugin,
        ...features,
        catalogServiceMock.factory({ entities }),
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        config(rubric),
      ],
    });
  }

  it('stops when a module check has the id of a built-in check, naming the module and the id', async () => {
    await expect(
      start([checksModule([{ ...imageScanned, id: 'ownership.owner-set' }])]),
    ).rejects.toThrow(
      /Module 'test-checks' for plugin 'operability' startup failed; caused by InputError: Operability check 'ownership\.owner-set' clashes with the built-in check of that id/,
    );
  });

  it('stops when two modules add checks with one id, naming the later module', async () => {
    await expect(
      start([
        checksModule([imageScanned]),
        checksModule([{ ...imageScanned, title: 'Again' }], {
          moduleId: 'other-checks',
          provider: false,
        }),
      ]),
    ).rejects.toThrow(
      /Module 'other-checks' for plugin 'operability' startup failed; caused by InputError: Operability check 'security\.image-scanned' clashes with a check of that id that a module added before/,
    );
  });

  it('stops when a module check needs a fact that no provider declares', async () => {
    await expect(
      start([checksModule([imageScanned], { provider: false })]),
    ).rejects.toThrow(
      /Module 'test-checks' for plugin 'operability' startup failed; caused by InputError: Operability check 'security\.image-scanned' needs the fact 'images\.scanned', which no fact provider declares/,
    );
  });

  it('stops when a module adds a check of the wrong shape, saying what is wrong', async () => {
    await expect(
      start([
        checksModule([
          { ...imageScanned, level: 'platinum' as any, facts: [''] },
        ]),
      ]),
    ).rejects.toThrow(
      /Module 'test-checks' for plugin 'operability' startup failed; caused by InputError: Invalid operability check 'security\.image-scanned': level: .*; facts\[0\]: /,
    );
  });

  it('can be turned off in config, like a built-in check', async () => {
    const backend = await start([checksModule([imageScanned])], {
      checks: [{ id: 'security.image-scanned', enabled: false }],
    });
    const res = await request(backend.server).get('/api/operability/v1/checks');
    expect(res.body.items.map((c: { id: string }) => c.id)).not.toContain(
      'security.image-scanned',
    );
    await backend.stop();
  });

  it('lets config conditions use the facts the module declares', async () => {
    const backend = await start([checksModule([imageScanned])], {
      checks: [
        {
          id: 'security.scanned-by-config',
          title: 'Scanned (configured)',
          level: 'silver',
          description: 'The same, as a condition.',
          remediation: 'Scan it.',
          condition: { fact: SCANNED, operator: 'equal', value: true },
        },
      ],
    });
    const res = await request(backend.server).get('/api/operability/v1/checks');
    expect(res.body.items.map((c: { id: string }) => c.id).slice(-2)).toEqual([
      'security.image-scanned',
      'security.scanned-by-config',
    ]);
    await backend.stop();
  });

  it('still names the config path when config names a fact nobody declares or an unknown check', async () => {
    await expect(
      start([checksModule([imageScanned])], {
        checks: [
          {
            id: 'security.image-scanned',
            condition: {
              fact: 'images.signed',
              operator: 'equal',
              value: true,
            },
          },
        ],
      }),
    ).rejects.toThrow(
      /Invalid config at 'operability\.rubric\.checks\[0\]\.condition\.fact': .*images\.signed/,
    );
    await expect(
      start([checksModule([imageScanned])], {
        checks: [{ id: 'security.unknown', level: 'gold' }],
      }),
    ).rejects.toThrow(
      /Invalid config at 'operability\.rubric\.checks\[0\]\.title': required for a new check \(no default check has id 'security\.unknown'\)/,
    );
  });
});

describe('moduleCheckUnit', () => {
  const unit = moduleCheckUnit(imageScanned);
  const entity = service('scanned');
  const now = new Date('2026-03-02T12:00:00Z');
  const facts = new Map([
    [SCANNED, { value: true, source: 's', collectedAt: now.toISOString() }],
    ['catalog.description', { value: true, source: 'c', collectedAt: '' }],
  ]);

  it('takes category and weight from the id and level when not given', () => {
    expect(unit.definition).toMatchObject({
      category: 'security',
      weight: 1,
      evaluator: 'security.image-scanned',
    });
    expect(unit.evaluator.facts).toEqual([SCANNED]);
  });

  it('gives evaluate only the declared facts, frozen, and the instant', () => {
    let seen: any;
    const spy = moduleCheckUnit({
      ...imageScanned,
      evaluate: context => {
        seen = context;
        return { status: 'pass', message: 'ok' };
      },
    });
    spy.evaluator.evaluate({ entity, facts, now });
    expect(Object.keys(seen.facts)).toEqual([SCANNED]);
    expect(seen.facts[SCANNED]).toEqual({
      value: true,
      source: 's',
      collectedAt: now.toISOString(),
    });
    expect(Object.isFrozen(seen.facts)).toBe(true);
    expect(Object.isFrozen(seen.facts[SCANNED])).toBe(true);
    expect(seen.now).toEqual(now);
    expect(seen.now).not.toBe(now); // a copy: changing it changes nothing else
  });

  it.each([
    [
      'a promise',
      Promise.resolve({ status: 'pass', message: 'ok' }),
      /promise/,
    ],
    ['another status', { status: 'ok', message: 'x' }, /status must be/],
    ['no message', { status: 'pass' }, /message must be a string/],
    [
      'bad evidence',
      { status: 'pass', message: 'x', evidence: [{ text: 1 }] },
      /evidence must be/,
    ],
    ['nothing', undefined, /expected an object/],
  ])('makes %s unknown, saying why', (_what, returned, why) => {
    const bad = moduleCheckUnit({
      ...imageScanned,
      evaluate: () => returned as any,
    });
    const outcome = bad.evaluator.evaluate({ entity, facts, now });
    expect(outcome.status).toBe('unknown');
    expect(outcome.message).toMatch(
      /^check security\.image-scanned returned an invalid result: /,
    );
    expect(outcome.message).toMatch(why);
  });

  it('keeps messages on one line and evidence bounded', () => {
    const noisy = moduleCheckUnit({
      ...imageScanned,
      evaluate: () => ({
        status: 'fail',
        message: 'two\nlines',
        evidence: Array.from({ length: 30 }, (_, i) => ({
          kind: 'k',
          text: `${i}`,
        })),
      }),
    });
    const outcome = noisy.evaluator.evaluate({ entity, facts, now });
    expect(outcome.message).toBe('two lines');
    expect(outcome.evidence).toHaveLength(21);
    expect(outcome.evidence[20]).toEqual({ kind: 'more', text: 'and 10 more' });
  });
});
