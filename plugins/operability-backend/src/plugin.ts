import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { operabilityPermissions } from '@opsready/plugin-operability-common';
import {
  FactProvider,
  OnCallProvider,
  operabilityChecksExtensionPoint,
  operabilityFactProvidersExtensionPoint,
  operabilityOnCallProvidersExtensionPoint,
  operabilityPageSourcesExtensionPoint,
  PageSource,
} from '@opsready/plugin-operability-node';
import { readOperabilityConfig } from './config';
import { DatabaseOperabilityStore } from './database/DatabaseOperabilityStore';
import { OnCallService } from './oncall/OnCallService';
import { orderOnCallProviders } from './oncall/providerOrder';
import { ScheduleOnCall } from './oncall/ScheduleOnCall';
import { ScheduleOnCallProvider } from './oncall/ScheduleOnCallProvider';
import { CatalogSnapshot, SCORED_KINDS } from './ownership/CatalogSnapshot';
import {
  CATALOG_FACT_DEFINITIONS,
  ON_CALL_FACT_DEFINITIONS,
} from './readiness/builtinFacts';
import { BUILTIN_CHECKS, evaluatorsOf } from './readiness/checks';
import { ModuleChecks } from './readiness/checks/moduleChecks';
import { compileRubric, evaluate } from './readiness/evaluator/evaluate';
import { createCycleMetrics } from './readiness/metrics';
import { ReadinessCycle } from './readiness/ReadinessCycle';
import { readRubricConfig } from './readiness/rubric/readRubricConfig';
import { createRouter } from './service/router';
import { CatalogVisibility } from './service/CatalogVisibility';
import { cycleTimeout } from './readiness/cycleTimeout';
import { OperabilityQueries } from './service/queries';
import { registerActions } from './actions/registerActions';
import { startCampaigns } from './campaigns';
import { startHandoffReports } from './handoffs';
import { startReadinessNotifications } from './notifications';
import { PageLoadFactProvider, startPages } from './pages';

const CYCLE_TASK_ID = 'operability-readiness-cycle';

/**
 * The operability backend plugin: ownership, on-call and readiness over REST.
 *
 * @public
 */
export const operabilityPlugin = createBackendPlugin({
  pluginId: 'operability',
  register(env) {
    const onCallProviders: OnCallProvider[] = [];
    // The on-call load's fact comes from the stored pages (see startPages).
    const pageLoadFacts = new PageLoadFactProvider();
    const factProviders: FactProvider[] = [pageLoadFacts];
    const pageSources: PageSource[] = [];
    env.registerExtensionPoint(operabilityPageSourcesExtensionPoint, {
      addPageSource(...sources) {
        pageSources.push(...sources);
      },
    });
    env.registerExtensionPoint(operabilityOnCallProvidersExtensionPoint, {
      addOnCallProvider(...providers) {
        onCallProviders.push(...providers);
      },
    });
    env.registerExtensionPoint(operabilityFactProvidersExtensionPoint, {
      addFactProvider(...providers) {
        factProviders.push(...providers);
      },
    });
    // One implementation per module, so a bad check fails its own module.
    const moduleChecks = new ModuleChecks();
    env.registerExtensionPoint({
      extensionPoint: operabilityChecksExtensionPoint,
      factory: context => moduleChecks.forModule(context),
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        notifications: notificationService,
        instanceMetadata: coreServices.rootInstanceMetadata,
      },
      async init(deps) {
        const { config, logger, scheduler } = deps;
        const settings = readOperabilityConfig(config);
        deps.permissionsRegistry.addPermissions(operabilityPermissions);

        // The rubric may only name facts that some provider declares.
        const knownFacts = new Set(
          [
            ...CATALOG_FACT_DEFINITIONS,
            ...ON_CALL_FACT_DEFINITIONS,
            ...factProviders.flatMap(p => p.facts),
          ].map(f => f.name),
        );
        // The built-in checks, then the modules' ones: on unless configured off.
        const checks = [...BUILTIN_CHECKS, ...moduleChecks.units(knownFacts)];
        const evaluators = evaluatorsOf(checks);
        const rubric = readRubricConfig(config, {
          knownFacts,
          evaluators,
          defaultChecks: checks.map(c => c.definition),
        });
        const compiled = compileRubric(rubric, evaluators);

        const store = await DatabaseOperabilityStore.create({
          database: deps.database,
          // Joined to the stored reports when read: they keep only results.
          checks: rubric.checks,
        });
        const snapshot = new CatalogSnapshot({
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
          ttlMs: settings.catalogCacheTtlMs,
          // A catalog slower than a provider is allowed to be counts as failed.
          readTimeoutMs: settings.providerTimeoutMs,
        });
        const scheduleOnCall = new ScheduleOnCall();
        // One service answers on-call, for the cycle and the routes alike;
        // the catalog's schedules are a provider like the modules' ones.
        const onCall = new OnCallService({
          providers: orderOnCallProviders(
            [
              ...onCallProviders,
              new ScheduleOnCallProvider({ scheduleOnCall, snapshot }),
            ],
            settings.onCallProviders,
          ),
          store,
          snapshot,
          logger,
          requestBudgetMs: settings.onCallRequestBudgetMs,
        });
        const cycle = new ReadinessCycle({
          store,
          snapshot,
          onCall,
          factProviders,
          evaluate: (entity, facts, exemptions, now) =>
            evaluate(entity, facts, compiled, exemptions, now),
          logger,
          providerTimeoutMs: settings.providerTimeoutMs,
          historyRetentionMs: settings.historyRetentionMs,
          metrics: createCycleMetrics(),
          // What changed, once per cycle: operability.readiness.changed.
          events: deps.events,
        });
        // Owners hear of regressions and recoveries through the notifications
        // service: a subscriber to that event (operability.notifications).
        await startReadinessNotifications({
          config,
          logger,
          events: deps.events,
          notifications: deps.notifications,
          instanceMetadata: deps.instanceMetadata,
          database: deps.database,
          store,
          checks: rubric.checks,
        });
        // Global scope: the task lock lives in the database, so of several
        // replicas only one runs a cycle at a time.
        // (After the spread: the schedule read from config carries a `scope`
        // key, undefined when not set, that must not replace this one.)
        const timeout = cycleTimeout(
          (await store.recentCycleRuns(10)).map(run => run.durationMs),
          settings.cycleSchedule.timeout,
        );
        await scheduler.scheduleTask({
          id: CYCLE_TASK_ID,
          ...settings.cycleSchedule,
          timeout,
          scope: 'global',
          fn: async () => {
            await cycle.run();
          },
        });

        logger.info(
          `Operability: ${
            rubric.checks.length
          } checks; on-call providers [${onCall.providerIds.join(
            ', ',
          )}]; fact providers [${factProviders.map(p => p.id).join(', ')}]`,
        );
        const visibility = new CatalogVisibility({
          permissions: deps.permissions,
          catalog: deps.catalog,
          kinds: [...SCORED_KINDS, 'Group'],
          ttlMs: settings.catalogCacheTtlMs,
        });
        // The read answers, for the routes and the actions for agents alike.
        const queries = new OperabilityQueries({
          catalog: deps.catalog,
          snapshot,
          onCall,
          scheduleOnCall,
          store,
          rubric,
          visibility,
        });
        registerActions(deps.actionsRegistry, queries);
        // Campaigns (operability.campaigns): progress from the stored reports.
        const campaigns = await startCampaigns({
          config,
          logger,
          scheduler,
          database: deps.database,
          httpAuth: deps.httpAuth,
          visibility,
          snapshot,
          store,
          rubric,
          notifications: deps.notifications,
          instanceMetadata: deps.instanceMetadata,
        });
        deps.httpRouter.use(campaigns.router);
        // Hand-off reports (operability.onCall.handoffReports): task and route.
        const handoffs = await startHandoffReports({
          ...deps,
          snapshot,
          scheduleOnCall,
          store,
          rubric,
          visibility,
          queries,
        });
        deps.httpRouter.use(handoffs.router);
        // The on-call load (operability.onCall.pages): pages, their task, the route.
        const pages = await startPages({
          ...deps,
          sources: pageSources,
          facts: pageLoadFacts,
          snapshot,
          queries,
        });
        deps.httpRouter.use(pages.router);
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            catalog: deps.catalog,
            snapshot,
            scheduleOnCall,
            queries,
            store,
            rubric,
            visibility,
            campaigns: campaigns.service,
            auditor: deps.auditor,
            triggerCycle: async () => {
              try {
                await scheduler.triggerTask(CYCLE_TASK_ID);
                return 'scheduled';
              } catch (error) {
                // Running here or on another replica, or locked by one that
                // died mid-cycle: that run, or the next, picks changes up.
                if ((error as Error).name !== 'ConflictError') throw error;
                return 'already-running';
              }
            },
            refreshEntities: async entityRefs => {
              await cycle.run({ entityRefs });
            },
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
