import { HumanDuration } from '@backstage/types';
import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the operability plugins. */
  operability?: {
    /**
     * How long the plugin keeps its batch-read copy of the catalog's groups,
     * users, services and schedules before reading them again. Default: 1 minute.
     */
    catalogCacheTtl?: HumanDuration | string;

    /**
     * The readiness rubric. Without it the default rubric applies: 24 checks over
     * ownership, on-call, instrumentation, alerting and documentation.
     */
    rubric?: {
      /**
       * Facts older than this make the checks that read them `unknown`.
       * A duration object (e.g. `{ hours: 12 }`), an ISO 8601 duration (`PT12H`)
       * or a string such as `12h`. Default: 1 day.
       */
      maxFactAge?: HumanDuration | string;
      /**
       * Whether the default checks apply. With `false`, only the default checks
       * named by id in `checks` are kept. Default: true.
       */
      useDefaultChecks?: boolean;
      /**
       * Overrides of default checks (an entry whose `id` is a default check's id;
       * every field given replaces the default's, `enabled: false` removes it),
       * and new checks (any other id; they need `title`, `level`, `description`,
       * `remediation` and exactly one of `condition` or `evaluator`).
       */
      checks?: Array<{
        /** Stable id `<category>.<name>`, lower case, e.g. `alerting.has-alerts`. */
        id: string;
        /** `false` removes the check. Default: true. */
        enabled?: boolean;
        /** Short title shown in the UI. */
        title?: string;
        /** Category. Default: the id's prefix. */
        category?: string;
        /** Level the check belongs to. */
        level?: 'bronze' | 'silver' | 'gold';
        /** Weight in the score, > 0. Default for new checks: bronze 1, silver 2, gold 3. */
        weight?: number;
        /**
         * Where the check applies. Every field given must match; values within a
         * field are alternatives. A given filter replaces the default's whole filter.
         */
        filter?: {
          /** Entity kinds, case-insensitive, e.g. `Component`. */
          kind?: string | string[];
          /** `spec.type` values, e.g. `service`. */
          type?: string | string[];
          /** `spec.lifecycle` values, e.g. `production`. */
          lifecycle?: string | string[];
          /** The entity has at least one of these tags. */
          tags?: string | string[];
          /** Owners, full or short refs, e.g. `group:default/payments` or `payments`. */
          owner?: string | string[];
        };
        /** Why the check matters. */
        description?: string;
        /** How to fix a failure: the annotation, field or rule to add. */
        remediation?: string;
        /** Id of a built-in evaluator (the default check ids). */
        evaluator?: string;
        /**
         * Declarative condition over facts: `{ fact, operator, value }`, or
         * `{ all: [...] }` / `{ any: [...] }` nested. Operators: equal, notEqual,
         * greaterThan, greaterThanInclusive, lessThan, lessThanInclusive, in,
         * notIn, contains, doesNotContain, exists, notExists, matches (a
         * JavaScript regular expression). A fact never collected, or older than
         * `maxFactAge`, is unknown.
         */
        condition?: object;
        /**
         * Announce the check before it counts: a date `YYYY-MM-DD` (from 00:00
         * UTC). Before it the check is evaluated and shown as upcoming ("counts
         * from 1 March", `upcoming: true` on its result) but counts towards
         * neither score nor level. Default: none (the check counts now).
         */
        enforcedFrom?: string;
      }>;
    };

    readiness?: {
      /**
       * When the readiness cycle runs (collect facts, evaluate, store). It runs
       * on one backend replica at a time, so `scope` may only be `global`.
       * Default: every 5 minutes, timeout 5 minutes, first run 3 seconds after
       * start.
       *
       * The timeout is a ceiling: once cycles have been measured, the task's
       * timeout is three times the slowest of the last ten full cycles (at
       * least 30 seconds). A replica killed during a cycle holds the
       * scheduler's lock for that long, so the next cycle is not held back by
       * minutes.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How long one fact or on-call provider may take in a readiness cycle
       * (providers run in parallel), and one read of the catalog: a catalog
       * read that takes longer counts as failed (the last snapshot is used,
       * its facts marked stale). Default: 1 minute.
       */
      providerTimeout?: HumanDuration | string;
    };

    /** Who is on call: which providers answer, and how long routes wait for them. */
    onCall?: {
      /**
       * The on-call providers in order of precedence, by id: for each entity,
       * the first listed provider that covers it answers (`schedule`: the
       * Schedule entities of the catalog; `pagerduty`: the PagerDuty module;
       * other modules add their own ids). Providers not listed are not asked.
       * An id no installed provider has stops start-up.
       * Default: every installed provider other than `schedule`, in the order
       * their modules were added, then `schedule` (so `[pagerduty, schedule]`
       * with the PagerDuty module).
       */
      providers?: string[];
      /**
       * How long a route (entity page, `on-call?at=`, scorecards, who-owns)
       * waits for the on-call providers. A provider that has not answered by
       * then is answered for from its last good answer, marked `stale` (or
       * `status: 'unknown'` when there is none); its answer, when it comes,
       * becomes the last good one. The readiness cycle waits up to
       * `readiness.providerTimeout` instead.
       * A duration object (e.g. `{ milliseconds: 1500 }`), an ISO 8601
       * duration (`PT1.5S`) or a string such as `1.5s`. Default: 1.5 seconds.
       */
      requestBudget?: HumanDuration | string;
      /**
       * Hand-off reports: at each hand-off of a Schedule's primary, the
       * incoming primary and secondary get a notification with the last
       * shift's pages (and off-hours ones), the checks that regressed during
       * it and the covered services that are not ready. Past reports are
       * listed by `GET …/on-call/handoffs`.
       */
      handoffReports?: {
        /**
         * Whether hand-offs are reported. Default: as notifications
         * (`operability.notifications.enabled`, by default whether the
         * notifications backend runs in this backend).
         */
        enabled?: boolean;
        /**
         * A covered service below this level (or not evaluated yet) is
         * reported as not ready. Default: `bronze` (a service at `none`).
         */
        readyLevel?: 'none' | 'bronze' | 'silver' | 'gold';
      };
      /**
       * When people work: a page outside these hours, in the time zone of
       * the Schedule that covers the service, is off-hours. Exact across
       * daylight-saving changes (wall-clock times). Default: Monday–Friday
       * 09:00–18:00.
       */
      workingHours?: {
        /** Working days, `mon` … `sun` (full names work too). Default: `[mon, tue, wed, thu, fri]`. */
        days?: string[];
        /** Start of the working day, `HH:mm`. Default: `09:00`. */
        start?: string;
        /** End of the working day, `HH:mm`, after the start (exclusive). Default: `18:00`. */
        end?: string;
        /**
         * The IANA zone for services whose on-call has no Schedule (PagerDuty
         * only); a Schedule's `timeZone` wins. Default: `UTC`.
         */
        timeZone?: string;
      };
      /**
       * Pages (alerts that reached a human) for the on-call load
       * (`GET …/on-call/load`, the check `on-call.page-load`). They come from
       * the page sources that modules add (PagerDuty incidents, Prometheus
       * alert episodes that page) and from the incident export files below;
       * a task (global scope: one replica at a time) collects what is new
       * since its last collection.
       */
      pages?: {
        /**
         * How long pages are kept. At least 28 days (the window of the
         * check). A duration object, an ISO 8601 duration or a string such as
         * `90d`. Default: 90 days.
         */
        retention?: HumanDuration | string;
        /**
         * How far before its last collection each collection starts again,
         * so that pages acknowledged or resolved since are updated. Default:
         * 1 day.
         */
        lookback?: HumanDuration | string;
        /**
         * When the collection task runs (`frequency`, `timeout`,
         * `initialDelay`, as for any scheduled task). Default: every 5
         * minutes, 5 minutes at most, 3 seconds after start-up.
         */
        schedule?: {
          frequency: HumanDuration | string | { cron: string };
          timeout: HumanDuration | string;
          initialDelay?: HumanDuration | string;
        };
        /**
         * Incident export files (CSV, the columns of PagerDuty's incident
         * export: `id` or `incident_number`, `created_on`, `description`,
         * `service_id` and/or `service_name`, optionally `acknowledged_on`,
         * `resolved_on`, `seconds_to_first_ack`, `seconds_to_resolve`,
         * `html_url`). Times are ISO 8601 instants with a zone, or signed
         * ISO 8601 durations (`-P3DT4H`) from the start of the current week
         * (Monday 00:00 UTC) when read. A file is taken as the whole incident
         * history: every service is covered, one with no row had no page.
         */
        files?: Array<{
          /** Path of the CSV file, relative to the backend's working directory. */
          path: string;
          /**
           * The annotation whose value a row's `service_id` is matched
           * against; rows also match a service by name or title
           * (`service_name`, any case). Default: `pagerduty.com/service-id`.
           */
          serviceAnnotation?: string;
        }>;
      };
    };

    history?: {
      /** How long score history points are kept. Default: 365 days. */
      retention?: HumanDuration | string;
    };

    /**
     * Campaigns: time-boxed goals, e.g. "every critical alert has a runbook by
     * 31 March". Progress comes from the stored readiness reports; the teams
     * with open services are notified when a campaign starts, weekly while it
     * runs and when its deadline passes (when notifications are on). A bad
     * campaign stops start-up, naming its path. Default: none.
     */
    campaigns?: Array<{
      /** Stable id: lower-case letters, digits and `-`, unique, e.g. `runbooks-for-criticals`. */
      id: string;
      /** Shown in the UI and the notifications. */
      title: string;
      /** Why it matters and how to do it. */
      description?: string;
      /**
       * What a service in scope must meet to be done: every one of `checks`
       * (ids of the rubric's checks) passes, is exempt or does not apply; or
       * its `level` is at least this one. Exactly one of the two.
       */
      target: {
        checks?: string[];
        level?: 'bronze' | 'silver' | 'gold';
      };
      /**
       * Which entities the campaign covers, in the shape of a check's filter:
       * every field given must match, values within a field are alternatives.
       * Default: every entity the plugin scores.
       */
      filter?: {
        /** Entity kinds, case-insensitive, e.g. `component`. */
        kind?: string | string[];
        /** `spec.type` values, e.g. `service`. */
        type?: string | string[];
        /** `spec.lifecycle` values, e.g. `production`. */
        lifecycle?: string | string[];
        /** The entity has at least one of these tags. */
        tags?: string | string[];
        /** Owners, full or short refs, e.g. `group:default/payments` or `payments`. */
        owner?: string | string[];
      };
      /** First day, `YYYY-MM-DD` (UTC). */
      start: string;
      /** Last day, `YYYY-MM-DD` (UTC), inclusive; not before `start`. */
      deadline: string;
    }>;

    /**
     * Readiness notifications, sent through Backstage's notifications
     * service to the entity (its owners' members), topic `operability`, one
     * per entity per readiness cycle, scope `operability:readiness:<entityRef>`
     * so that a recovery updates the same notification. Never on an entity's
     * first evaluation, and never for a change that came from stale inputs
     * (a source that is down is not a regression).
     */
    notifications?: {
      /**
       * Whether notifications are sent. Default: true when the notifications
       * backend (`@backstage/plugin-notifications-backend`) is installed in
       * the same backend, false otherwise; set `true` when it runs in another
       * backend of the deployment, `false` to send none.
       */
      enabled?: boolean;
      /**
       * Which transitions send a notification. Default: all three.
       * - `levelDrop`: the level dropped because checks fail (a drop made only
       *   of checks turned `unknown` is not reported);
       * - `checkRegression`: a check went from pass (or exempt) to fail;
       * - `recovery`: what an open notification reported no longer fails, or
       *   the level went back up: that notification is updated (without an
       *   open notification, a recovery sends nothing).
       */
      on?: Array<'levelDrop' | 'checkRegression' | 'recovery'>;
    };
  };
}
