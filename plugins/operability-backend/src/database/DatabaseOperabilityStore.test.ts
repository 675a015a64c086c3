import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Readiness } from '@opsready/plugin-operability-common';
import { DatabaseOperabilityStore } from './DatabaseOperabilityStore';
import { encodeReadiness } from '../readiness/storedReadiness';
import type { ReportRow, ReportWrite } from './OperabilityStore';
import { createTestDatabases } from '../__testUtils__/databases';

const databases = createTestDatabases();

const readiness = (score: number, level: ReportRow['level']): Readiness => ({
  score,
  level,
  evaluatedAt: '2026-03-02T10:00:00.000Z',
  checks: [],
});

function report(name: string, over: Partial<ReportWrite> = {}): ReportWrite {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    name,
    title: name.toUpperCase(),
    type: 'service',
    lifecycle: 'production',
    systemRef: null,
    ownerRef: 'group:default/payments',
    ownerDeclared: 'group:default/payments',
    score: 50,
    level: 'bronze',
    failedChecks: [],
    checkStatuses: { pass: ['ownership.owner-set'] },
    readiness: readiness(50, 'bronze'),
    hash: `h-${name}`,
    evaluatedAt: new Date('2026-03-02T10:00:00Z'),
    historyAt: new Date('2026-03-02T10:00:00Z'),
    ...over,
  };
}

const emptyWrite = {
  facts: [],
  providerRuns: [],
  reports: [],
  historyPoints: [],
  removedEntityRefs: [],
  historyCutoff: new Date(0),
  evaluatedAt: new Date('2026-03-02T10:00:00Z'),
};

describe.each(databases.eachSupportedId())(
  'DatabaseOperabilityStore (%s)',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseOperabilityStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      return { knex, store };
    }

    it('writes a cycle and reads reports, facts, runs and history back', async () => {
      const { store } = await createStore();
      await store.writeCycle({
        ...emptyWrite,
        facts: [
          {
            entityRef: 'component:default/a',
            provider: 'catalog',
            facts: {
              'catalog.description': {
                value: true,
                source: 's',
                collectedAt: '2026-03-02T10:00:00Z',
              },
            },
            hash: 'x',
          },
        ],
        providerRuns: [
          {
            provider: 'prometheus',
            lastAttemptAt: new Date('2026-03-02T10:00:00Z'),
            lastSuccessAt: null,
            lastError: 'down',
          },
        ],
        reports: [
          report('a', {
            score: 90,
            level: 'gold',
            readiness: readiness(90, 'gold'),
          }),
          report('b'),
        ],
        historyPoints: [
          {
            entityRef: 'component:default/a',
            time: new Date('2026-03-02T10:00:00Z'),
            score: 90,
            level: 'gold',
          },
        ],
      });
      expect(await store.loadFacts()).toEqual([
        expect.objectContaining({
          entityRef: 'component:default/a',
          provider: 'catalog',
          hash: 'x',
        }),
      ]);
      expect(await store.loadProviderRuns()).toEqual([
        {
          provider: 'prometheus',
          lastAttemptAt: new Date('2026-03-02T10:00:00Z'),
          lastSuccessAt: null,
          lastError: 'down',
        },
      ]);
      const a = await store.getReport('component:default/a');
      expect(a).toMatchObject({
        score: 90,
        level: 'gold',
        readiness: { score: 90 },
      });
      expect(a!.evaluatedAt).toEqual(new Date('2026-03-02T10:00:00Z'));
      expect(
        (await store.loadReportStates()).get('component:default/b'),
      ).toEqual({
        score: 50,
        level: 'bronze',
        hash: 'h-b',
        historyAt: new Date('2026-03-02T10:00:00Z'),
        checkStatuses: { pass: ['ownership.owner-set'] },
      });
      expect(
        await store.history(
          'component:default/a',
          new Date('2026-03-01T00:00:00Z'),
          new Date('2026-03-03T00:00:00Z'),
        ),
      ).toEqual([
        { time: '2026-03-02T10:00:00.000Z', score: 90, level: 'gold' },
      ]);
    });

    it('upserts, removes gone entities and trims old history in one cycle', async () => {
      const { store } = await createStore();
      await store.writeCycle({
        ...emptyWrite,
        reports: [report('a'), report('gone')],
        historyPoints: [
          {
            entityRef: 'component:default/a',
            time: new Date('2025-01-01T00:00:00Z'),
            score: 1,
            level: 'none',
          },
          {
            entityRef: 'component:default/a',
            time: new Date('2026-03-01T00:00:00Z'),
            score: 2,
            level: 'none',
          },
        ],
      });
      await store.writeCycle({
        ...emptyWrite,
        reports: [report('a', { score: 70 })],
        removedEntityRefs: ['component:default/gone'],
        historyCutoff: new Date('2026-01-01T00:00:00Z'),
      });
      expect((await store.getReport('component:default/a'))!.score).toBe(70);
      expect(await store.getReport('component:default/gone')).toBeUndefined();
      const points = await store.history(
        'component:default/a',
        new Date(0),
        new Date('2027-01-01T00:00:00Z'),
      );
      expect(points.map(p => p.score)).toEqual([2]);
    });

    it('filters, sorts and pages reports in the database', async () => {
      const { store } = await createStore();
      await store.writeCycle({
        ...emptyWrite,
        reports: [
          report('alpha', { score: 90, level: 'gold', failedChecks: [] }),
          report('beta', {
            score: 40,
            level: 'none',
            ownerRef: 'group:default/search',
            failedChecks: ['on-call.schedule'],
          }),
          report('gamma', {
            score: 60,
            level: 'silver',
            title: 'Gamma 100%_done',
            type: 'website',
            failedChecks: ['alerting.runbooks'],
          }),
          report('delta', {
            score: 60,
            level: 'bronze',
            lifecycle: 'experimental',
            failedChecks: ['on-call.schedule', 'x'],
          }),
        ],
      });
      const names = async (
        q: Partial<Parameters<typeof store.listReports>[0]>,
      ) => {
        const { rows, total } = await store.listReports({
          sort: 'name',
          order: 'asc',
          limit: 50,
          offset: 0,
          ...q,
        });
        return { names: rows.map(r => r.name), total };
      };
      expect(await names({})).toEqual({
        names: ['alpha', 'beta', 'delta', 'gamma'],
        total: 4,
      });
      expect(await names({ owner: 'search' })).toEqual({
        names: ['beta'],
        total: 1,
      });
      expect(
        await names({ owner: 'group:default/payments', level: 'bronze' }),
      ).toEqual({ names: ['delta'], total: 1 });
      expect(await names({ type: 'website' })).toEqual({
        names: ['gamma'],
        total: 1,
      });
      expect(await names({ lifecycle: 'experimental' })).toEqual({
        names: ['delta'],
        total: 1,
      });
      expect(await names({ failing: 'on-call.schedule' })).toEqual({
        names: ['beta', 'delta'],
        total: 2,
      });
      // LIKE wildcards in the text are taken literally.
      expect(await names({ q: '100%_' })).toEqual({
        names: ['gamma'],
        total: 1,
      });
      expect(await names({ q: '%' })).toEqual({ names: ['gamma'], total: 1 });
      expect((await names({ sort: 'score', order: 'desc' })).names).toEqual([
        'alpha',
        'delta',
        'gamma',
        'beta',
      ]);
      expect((await names({ sort: 'level', order: 'desc' })).names).toEqual([
        'alpha',
        'gamma',
        'delta',
        'beta',
      ]);
      expect(await names({ limit: 2, offset: 2 })).toEqual({
        names: ['delta', 'gamma'],
        total: 4,
      });
    });

    it('keeps exemptions', async () => {
      const { store } = await createStore();
      const exemption = {
        id: 'e1',
        entityRef: 'component:default/a',
        checkId: 'alerting.runbooks',
        reason: 'migrating alerts',
        author: 'user:default/alice',
        expiresAt: '2026-04-01T00:00:00.000Z',
      };
      await store.addExemption({
        ...exemption,
        createdAt: new Date('2026-03-01T00:00:00Z'),
      });
      expect(await store.listExemptions('component:default/a')).toEqual([
        exemption,
      ]);
      expect(await store.listExemptions('component:default/b')).toEqual([]);
      expect(await store.getExemption('e1')).toEqual(exemption);
      expect(await store.deleteExemption('e1')).toBe(true);
      expect(await store.deleteExemption('e1')).toBe(false);
    });

    it('keeps the last good on-call answers and rotations, replacing by entity, provider and kind', async () => {
      const { store } = await createStore();
      const answer = {
        source: 'pagerduty',
        primary: { ref: 'user:default/ann' },
        secondary: null,
        shadows: [],
        until: null,
        status: 'ok' as const,
        asOf: '2026-03-02T10:00:00.000Z',
      };
      const rotation = {
        members: [{ ref: 'user:default/ann' }],
        turn: 'P7D',
        source: 'pagerduty:schedule/P1',
      };
      const ref = 'component:default/a';
      await store.saveOnCallLastGood({
        answers: [
          {
            entityRef: ref,
            provider: 'pagerduty',
            answer,
            goodAt: new Date('2026-03-02T10:00:00Z'),
          },
        ],
        rotations: [
          {
            entityRef: ref,
            provider: 'pagerduty',
            rotation,
            goodAt: new Date('2026-03-02T10:00:00Z'),
          },
        ],
      });
      await store.saveOnCallLastGood({
        answers: [
          {
            entityRef: ref,
            provider: 'pagerduty',
            answer: { ...answer, asOf: '2026-03-02T10:05:00.000Z' },
            goodAt: new Date('2026-03-02T10:05:00Z'),
          },
        ],
        rotations: [],
      });
      expect(await store.loadOnCallLastGood()).toEqual({
        answers: [
          {
            entityRef: ref,
            provider: 'pagerduty',
            answer: { ...answer, asOf: '2026-03-02T10:05:00.000Z' },
            goodAt: new Date('2026-03-02T10:05:00Z'),
          },
        ],
        rotations: [
          {
            entityRef: ref,
            provider: 'pagerduty',
            rotation,
            goodAt: new Date('2026-03-02T10:00:00Z'),
          },
        ],
      });
      // An entity gone from the catalog takes its on-call rows with it.
      await store.writeCycle({ ...emptyWrite, removedEntityRefs: [ref] });
      expect(await store.loadOnCallLastGood()).toEqual({
        answers: [],
        rotations: [],
      });
    });

    it('dates every report by the latest full cycle without rewriting its row, and a refreshed one by its own time', async () => {
      const { knex, store } = await createStore();
      const at = (iso: string) => new Date(iso);
      await store.writeCycle({
        ...emptyWrite,
        reports: [report('a'), report('b')],
        evaluatedAt: at('2026-03-02T10:00:00Z'),
      });
      const ownTimes = async () =>
        (await knex('operability_reports').orderBy('entity_ref'))
          .map(r => new Date(r.evaluated_at).toISOString())
          .join(' ');
      const before = await ownTimes();
      // A full cycle that changed nothing: no report row is written.
      await store.writeCycle({
        ...emptyWrite,
        evaluatedAt: at('2026-03-02T11:00:00Z'),
      });
      expect(await ownTimes()).toBe(before);
      // A refresh of one entity, later.
      await store.writeCycle({
        ...emptyWrite,
        onlyEntityRefs: ['component:default/b'],
        evaluatedAt: at('2026-03-02T11:30:00Z'),
      });
      const a = (await store.getReport('component:default/a'))!;
      const b = (await store.getReport('component:default/b'))!;
      expect(a.evaluatedAt).toEqual(at('2026-03-02T11:00:00Z'));
      expect(a.readiness.evaluatedAt).toBe('2026-03-02T11:00:00.000Z');
      expect(b.evaluatedAt).toEqual(at('2026-03-02T11:30:00Z'));
      const listed = await store.listReports({
        sort: 'name',
        order: 'asc',
        limit: 10,
        offset: 0,
      });
      expect(listed.rows.map(r => r.evaluatedAt.toISOString())).toEqual([
        '2026-03-02T11:00:00.000Z',
        '2026-03-02T11:30:00.000Z',
      ]);
      expect(
        (await store.listReportSummaries()).map(r =>
          r.evaluatedAt.toISOString(),
        ),
      ).toEqual(
        expect.arrayContaining([
          '2026-03-02T11:00:00.000Z',
          '2026-03-02T11:30:00.000Z',
        ]),
      );
    });

    it('reads reports stored in either version, joined with the rubric it was given', async () => {
      const knex = await databases.init(databaseId);
      const checks = [
        {
          id: 'ownership.owner-set',
          title: 'Owner is set',
          category: 'ownership',
          level: 'bronze' as const,
          weight: 1,
          description: 'why',
          remediation: 'how',
          evaluator: 'ownership.owner-set',
        },
      ];
      const store = await DatabaseOperabilityStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
        checks,
      });
      const evaluated: Readiness = {
        score: 100,
        level: 'bronze',
        evaluatedAt: '2026-03-02T10:00:00.000Z',
        checks: [
          {
            id: 'ownership.owner-set',
            title: 'Owner is set',
            category: 'ownership',
            level: 'bronze',
            weight: 1,
            status: 'pass',
            message: 'spec.owner is group:default/payments',
            evidence: [{ kind: 'owner', text: 'group:default/payments' }],
          },
        ],
      };
      await store.writeCycle({
        ...emptyWrite,
        reports: [
          // A row of the first version, as cycles before the second wrote it.
          report('old', { readiness: { ...evaluated, evaluatedAt: '' } }),
          report('new', { readiness: encodeReadiness(evaluated) }),
        ],
      });
      const stored = await knex('operability_reports')
        .where({ entity_ref: 'component:default/new' })
        .first();
      expect(stored.readiness).not.toContain('Owner is set');
      for (const name of ['old', 'new']) {
        expect(
          (await store.getReport(`component:default/${name}`))!.readiness,
        ).toEqual(evaluated);
      }
    });

    it("reads one provider's facts, of some entities, and every row without its facts", async () => {
      const { store } = await createStore();
      const row = (name: string, provider: string) => ({
        entityRef: `component:default/${name}`,
        provider,
        facts: { 'm.v': { value: name, source: 's', collectedAt: 'x' } },
        hash: `h-${name}-${provider}`,
      });
      await store.writeCycle({
        ...emptyWrite,
        facts: [
          row('a', 'metrics'),
          row('b', 'metrics'),
          { ...row('a', 'rules'), staleSince: '2026-03-02T10:00:00.000Z' },
        ],
      });
      const byRef = (rows: { entityRef: string }[]) =>
        [...rows].sort((x, y) => x.entityRef.localeCompare(y.entityRef));
      expect(byRef(await store.loadFacts({ provider: 'metrics' }))).toEqual([
        row('a', 'metrics'),
        row('b', 'metrics'),
      ]);
      expect(
        await store.loadFacts({
          provider: 'metrics',
          entityRefs: ['component:default/b', 'component:default/gone'],
        }),
      ).toEqual([row('b', 'metrics')]);
      expect(
        (await store.loadFactStates()).sort((x, y) =>
          `${x.entityRef} ${x.provider}`.localeCompare(
            `${y.entityRef} ${y.provider}`,
          ),
        ),
      ).toEqual([
        {
          entityRef: 'component:default/a',
          provider: 'metrics',
          hash: 'h-a-metrics',
        },
        {
          entityRef: 'component:default/a',
          provider: 'rules',
          hash: 'h-a-rules',
          staleSince: '2026-03-02T10:00:00.000Z',
        },
        {
          entityRef: 'component:default/b',
          provider: 'metrics',
          hash: 'h-b-metrics',
        },
      ]);
    });

    it("keeps facts' stale-since mark until facts without one replace them", async () => {
      const { store } = await createStore();
      const facts = {
        entityRef: 'component:default/a',
        provider: 'alert-rules',
        facts: {},
        hash: 'x',
      };
      await store.writeCycle({
        ...emptyWrite,
        facts: [{ ...facts, staleSince: '2026-03-02T10:00:00.000Z' }],
      });
      expect(await store.loadFacts()).toEqual([
        { ...facts, staleSince: '2026-03-02T10:00:00.000Z' },
      ]);
      await store.writeCycle({ ...emptyWrite, facts: [facts] });
      expect(await store.loadFacts()).toEqual([facts]);
    });

    it("fills existing reports' check statuses from their documents when migrating", async () => {
      const knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@opsready/plugin-operability-backend',
        'migrations',
      );
      const MIGRATION = '20261201090000_readiness_changes.js';
      const [, pending] = (await knex.migrate.list({ directory })) as [
        unknown,
        { file: string }[],
      ];
      for (const { file } of pending) {
        if (file >= MIGRATION) break;
        await knex.migrate.up({ directory, name: file });
      }
      const check = (id: string, status: string) => ({ id, status });
      const { checkStatuses: _, ...row } = report('a');
      await knex('operability_reports').insert({
        entity_ref: row.entityRef,
        kind: 'component',
        name: row.name,
        score: 50,
        level: 'bronze',
        level_rank: 1,
        failed_checks: '["on-call.schedule"]',
        readiness: JSON.stringify({
          ...readiness(50, 'bronze'),
          checks: [
            check('ownership.owner-set', 'pass'),
            check('on-call.schedule', 'fail'),
            check('documentation.techdocs', 'exempt'),
            check('alerting.has-alerts', 'unknown'),
            check('ownership.in-system', 'not-applicable'),
            check('documentation.runbook', 'pass'),
          ],
        }),
        hash: 'h',
        evaluated_at: row.evaluatedAt,
        history_at: row.historyAt,
      });
      await knex.migrate.up({ directory, name: MIGRATION });
      const store = await DatabaseOperabilityStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      expect(
        (await store.loadReportStates()).get(row.entityRef)?.checkStatuses,
      ).toEqual({
        pass: ['ownership.owner-set', 'documentation.runbook'],
        fail: ['on-call.schedule'],
        exempt: ['documentation.techdocs'],
        unknown: ['alerting.has-alerts'],
      });
    });

    it('migrates down cleanly', async () => {
      const { knex } = await createStore();
      await knex.migrate.rollback(
        {
          directory: resolvePackagePath(
            '@opsready/plugin-operability-backend',
            'migrations',
          ),
        },
        true,
      );
      expect(await knex.schema.hasTable('operability_reports')).toBe(false);
    });
  },
);
