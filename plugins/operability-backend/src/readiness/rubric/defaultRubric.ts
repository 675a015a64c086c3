import type { CheckLevel } from '@opsready/plugin-operability-common';
import type { CheckDefinition, CheckFilter, Rubric } from '../types';

/**
 * Default weight per level: a gold practice is worth more of the score than a
 * bronze basic because it takes more to get there, while the level already
 * makes the bronze basics the gate. Bronze 1, silver 2, gold 3.
 */
export const DEFAULT_WEIGHTS: Readonly<Record<CheckLevel, number>> = {
  bronze: 1,
  silver: 2,
  gold: 3,
};

/** Facts older than this are unknown, unless `operability.rubric.maxFactAge` says otherwise. */
export const DEFAULT_MAX_FACT_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Tech Insights maturity's convention: `rank` 1–3 is bronze, silver, gold.
 */
export function levelToRank(level: CheckLevel): 1 | 2 | 3 {
  switch (level) {
    case 'bronze':
      return 1;
    case 'silver':
      return 2;
    case 'gold':
      return 3;
    default:
      throw new Error(`unknown level '${level as string}'`);
  }
}

/** The inverse of `levelToRank`. */
export function rankToLevel(rank: number): CheckLevel {
  switch (rank) {
    case 1:
      return 'bronze';
    case 2:
      return 'silver';
    case 3:
      return 'gold';
    default:
      throw new Error(`rank must be 1, 2 or 3, got ${rank}`);
  }
}

/**
 * A check in Tech Insights maturity's shape (`rank`, `category`, `solution`),
 * so teams coming from it recognise the model.
 */
export function toTechInsightsCheck(definition: CheckDefinition): {
  id: string;
  name: string;
  description: string;
  rank: 1 | 2 | 3;
  category: string;
  solution: string;
} {
  return {
    id: definition.id,
    name: definition.title,
    description: definition.description,
    rank: levelToRank(definition.level),
    category: definition.category,
    solution: definition.remediation,
  };
}

/** Where the checks apply. */
const OWNED: CheckFilter = { kind: ['Component', 'API', 'Resource', 'System'] };
const SERVICES: CheckFilter = {
  kind: ['Component'],
  type: ['service', 'website'],
};

type Draft = Omit<CheckDefinition, 'category' | 'weight' | 'evaluator'>;

function check(draft: Draft): CheckDefinition {
  return {
    ...draft,
    category: draft.id.slice(0, draft.id.indexOf('.')),
    weight: DEFAULT_WEIGHTS[draft.level],
    evaluator: draft.id,
  };
}

/** The 24 checks of the default rubric, in display order. Ids are stable API. */
export const DEFAULT_CHECKS: readonly CheckDefinition[] = [
  // --- ownership ---------------------------------------------------------
  check({
    id: 'ownership.owner-set',
    title: 'Owner is set',
    level: 'bronze',
    filter: OWNED,
    description:
      'Code in production is the only code that matters, and someone has to answer for it. Without an owner, nobody is paged, nobody fixes it, and nobody decides when it is retired.',
    remediation:
      'Set `spec.owner` in catalog-info.yaml to the team that operates it, e.g. `owner: group:default/payments`.',
  }),
  check({
    id: 'ownership.owner-is-team',
    title: 'Owner is a team',
    level: 'bronze',
    filter: OWNED,
    description:
      'A person goes on holiday, changes teams or leaves; a team stays. Ownership by a Group keeps the service operated when one person is away, and lets on-call, contacts and scorecards roll up to the team.',
    remediation:
      "Set `spec.owner` to a Group that exists in the catalog (e.g. `group:default/payments`), not a User. If the owner is a dangling ref, fix its spelling or add the Group's entity.",
  }),
  check({
    id: 'ownership.team-has-members',
    title: 'Team has members',
    level: 'silver',
    filter: OWNED,
    description:
      'Engineers operate their own code. A team with no members in the catalog cannot be on call, cannot be contacted and will not notice when the service breaks.',
    remediation:
      "Add the team's engineers: give each User entity `spec.memberOf: [payments]` or list them in the Group's `spec.members`, and make sure your org provider (LDAP, GitHub, Microsoft Graph) ingests them.",
  }),
  check({
    id: 'ownership.team-contact',
    title: 'Team can be contacted',
    level: 'silver',
    filter: OWNED,
    description:
      "During an incident other teams need to reach the owners fast. A contact on the team's Group entity is the first thing people look for.",
    remediation:
      "Add `spec.profile.email` to the owning Group, or the annotation `operability.io/slack-channel: '#payments'`.",
  }),
  check({
    id: 'ownership.lifecycle-set',
    title: 'Lifecycle is set',
    level: 'silver',
    filter: { kind: ['Component', 'API'] },
    description:
      'Whether something is in production decides how much operability it needs. The lifecycle tells others whether they can depend on it and tells the team what must be ready before launch.',
    remediation:
      'Set `spec.lifecycle` in catalog-info.yaml, e.g. `lifecycle: production` (or `experimental`, `deprecated`).',
  }),
  check({
    id: 'ownership.in-system',
    title: 'Part of a System',
    level: 'gold',
    filter: { kind: ['Component', 'API', 'Resource'] },
    description:
      'Services fail together with the things they are built with. Grouping them into a System shows the blast radius, lets a component inherit the System’s on-call schedule, and gives the org page a useful roll-up.',
    remediation:
      'Set `spec.system` to the System it belongs to, e.g. `system: payments`, and add that System entity if it does not exist.',
  }),
  // --- on-call -----------------------------------------------------------
  check({
    id: 'on-call.schedule',
    title: 'On-call schedule',
    level: 'bronze',
    filter: SERVICES,
    description:
      "If you're not on call for your code, who is? A service in production needs a rotation that somebody answers at 3 a.m.; being on call closes the loop between writing code and running it.",
    remediation:
      "Add the annotation `operability.io/on-call-schedule: schedule:default/payments-on-call` (a Schedule entity), or `pagerduty.com/service-id: PXXXXXX`; or set one on the component's System or owning Group so it is inherited.",
  }),
  check({
    id: 'on-call.primary-and-secondary',
    title: 'Primary and secondary on call',
    level: 'silver',
    filter: SERVICES,
    description:
      'A page that nobody acknowledges must escalate to someone. A secondary backs up the primary and, with one-week turns, is next week’s primary getting ready.',
    remediation:
      'In the Schedule entity, set `spec.secondary: next-in-rotation` (or `{ members: [...] }`) and make sure `spec.primary` has members and `spec.handoff.start` is in the past; in PagerDuty, add a second escalation level.',
  }),
  check({
    id: 'on-call.rotation-size',
    title: 'Rotation of 6–8 engineers',
    level: 'gold',
    filter: SERVICES,
    description:
      'A good schedule has 6–8 engineers: fewer and people are on call so often that they burn out; more and each is on call so rarely that they lose practice with the system.',
    remediation:
      'Put 6 to 8 engineers in the Schedule’s `spec.primary` (and `spec.secondary.members` if separate); merge small rotations of related services, or split a large team’s rotation by System.',
  }),
  check({
    id: 'on-call.turn-length',
    title: 'Turns of at most a week',
    level: 'gold',
    filter: SERVICES,
    description:
      'A typical template is one-week turns: secondary one week, primary the next. Longer turns wear people down and stretch the time before a fresh pair of eyes looks at recurring pages.',
    remediation:
      'Set the Schedule’s `spec.handoff.turn` to `P1W` or shorter (e.g. `P1W`, `P3D`); in PagerDuty, use a weekly or shorter layer.',
  }),
  check({
    id: 'on-call.owners-on-call',
    title: 'Owners are on call',
    level: 'gold',
    filter: SERVICES,
    description:
      "Engineers should be on call for their code: if you're not on call for your code, who is? When most of the rotation comes from outside the owning team, the people paged are not the ones who can fix it or prevent the next page.",
    remediation:
      'Make at least 80% of the rotation (`spec.primary`, `spec.secondary`) members of the owning team or its sub-teams, or move ownership (`spec.owner`) to the team that is actually on call.',
  }),
  // --- instrumentation ---------------------------------------------------
  check({
    id: 'instrumentation.scraped',
    title: 'Scraped by Prometheus',
    level: 'silver',
    filter: SERVICES,
    description:
      'Engineers should be curious about how their code behaves in production, and that starts with metrics being collected at all. No scrape target, or every target down, means flying blind.',
    remediation:
      'Expose `/metrics` and add a scrape config (or ServiceMonitor) whose `job` label matches the annotation `prometheus.io/job: payments` (or `prometheus.io/service-label: service=payments`); check the targets are up in Prometheus’ Status › Targets.',
  }),
  check({
    id: 'instrumentation.golden-signals',
    title: 'Golden signals exported',
    level: 'silver',
    filter: SERVICES,
    description:
      'Request rate, errors and latency tell you whether customers are being served. Without them you learn about an outage from your customers.',
    remediation:
      'Export a request counter (e.g. `http_requests_total`), an error counter or a status-code label on it, and a latency histogram (e.g. `http_request_duration_seconds_bucket`) — most HTTP frameworks’ Prometheus or OpenTelemetry middleware does all three.',
  }),
  check({
    id: 'instrumentation.traces',
    title: 'Traces',
    level: 'gold',
    filter: SERVICES,
    description:
      'Metrics say that something is wrong; traces say where. Observable code is easier to debug, which is what operating your own code asks of it.',
    remediation:
      'Instrument with OpenTelemetry so the service exports `target_info`, or add a tracing annotation that points to its traces (e.g. `jaegertracing.io/service` or `grafana/tempo-query`) to catalog-info.yaml.',
  }),
  check({
    id: 'instrumentation.dashboard',
    title: 'Dashboard linked',
    level: 'silver',
    filter: SERVICES,
    description:
      'Whoever is paged needs to see the service’s state in seconds, not build a query under pressure. A linked dashboard is where an incident starts.',
    remediation:
      'Add a link with `type: dashboard` to `metadata.links`, or the annotation `grafana/dashboard-selector`, `grafana/overview-dashboard` or `datadoghq.com/dashboard-url`.',
  }),
  // --- alerting ----------------------------------------------------------
  check({
    id: 'alerting.has-alerts',
    title: 'Has alerts',
    level: 'bronze',
    filter: SERVICES,
    description:
      'Only production matters, and you cannot respond to an incident you do not know about. At least one alert must watch the service so that the team, not the customer, notices first.',
    remediation:
      'Add a Prometheus alerting rule whose expression selects the service\'s `job` label (e.g. `expr: job:errors:ratio5m{job="payments"} > 0.05`), list its file in the annotation `operability.io/alert-rules`, or name existing alerts in `prometheus.io/alert`.',
  }),
  check({
    id: 'alerting.severity-labels',
    title: 'Alerts have a severity',
    level: 'silver',
    filter: SERVICES,
    description:
      'Severity is how Alertmanager decides who is woken up. An alert without one is routed by accident: it either pages for nothing or never pages.',
    remediation:
      'Add `labels: { severity: critical }` (or `warning`, `info`) to every alerting rule that selects the service.',
  }),
  check({
    id: 'alerting.critical-pages',
    title: 'Critical alerts page',
    level: 'silver',
    filter: SERVICES,
    description:
      'A critical alert that only lands in a chat channel is a log line. Being on call means critical alerts reach a person through a pager.',
    remediation:
      'Give at least one alert `severity: critical` and add an Alertmanager route matching `severity="critical"` (and the service’s labels) to a receiver with `pagerduty_configs` or `opsgenie_configs`.',
  }),
  check({
    id: 'alerting.runbooks',
    title: 'Critical alerts have runbooks',
    level: 'gold',
    filter: SERVICES,
    description:
      'Whoever is paged at 3 a.m. may not have written the code. A runbook linked from the alert turns an expert’s knowledge into steps anyone on the rotation can follow.',
    remediation:
      'Add `annotations: { runbook_url: https://… }` to every alerting rule with `severity: critical`.',
  }),
  check({
    id: 'alerting.for-duration',
    title: 'Alerts wait before firing',
    level: 'gold',
    filter: SERVICES,
    description:
      'An alert that fires on one sample pages people for blips that heal themselves; noisy pages teach people to ignore pages.',
    remediation:
      'Add `for: 1m` (or longer, e.g. `for: 5m`) to every alerting rule that selects the service.',
  }),
  check({
    id: 'alerting.slo-burn-rate',
    title: 'SLO burn-rate alert',
    level: 'gold',
    filter: SERVICES,
    description:
      'Alerting on how fast the error budget burns pages for what customers feel, early for fast burns and without noise for slow ones, instead of on every threshold crossing.',
    remediation:
      'Add a multi-window burn-rate alerting rule over an SLI recording rule (e.g. `slo:sli_error:ratio_rate1h{job="payments"} > 14.4 * 0.001`), as generated by Sloth or Pyrra, or label it `slo: "true"`.',
  }),
  // --- documentation -----------------------------------------------------
  check({
    id: 'documentation.description',
    title: 'Description',
    level: 'bronze',
    filter: OWNED,
    description:
      'People who find the entity in the catalog — during an incident, a review or a search — need to know in one sentence what it does.',
    remediation:
      'Add `metadata.description` to catalog-info.yaml: one sentence saying what it does and for whom.',
  }),
  check({
    id: 'documentation.runbook',
    title: 'Runbook linked',
    level: 'silver',
    filter: SERVICES,
    description:
      'Operating code includes helping resolve incidents. A runbook for the service — how to deploy, roll back, scale and diagnose — shortens every incident.',
    remediation:
      'Add the annotation `operability.io/runbook: https://…` or a link with `type: runbook` to `metadata.links`.',
  }),
  check({
    id: 'documentation.techdocs',
    title: 'TechDocs',
    level: 'gold',
    filter: { kind: ['Component'] },
    description:
      'Docs that live beside the code are kept up to date with it. TechDocs make the design, the operational notes and the decisions findable from the catalog.',
    remediation:
      'Add `mkdocs.yml` and `docs/index.md` to the repository and the annotation `backstage.io/techdocs-ref: dir:.` to catalog-info.yaml.',
  }),
];

/** The default rubric: every default check, facts valid for a day. */
export function defaultRubric(): Rubric {
  return {
    checks: DEFAULT_CHECKS.map(c => ({ ...c })),
    maxFactAgeMs: DEFAULT_MAX_FACT_AGE_MS,
  };
}
