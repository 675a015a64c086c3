/**
 * Deterministic test data for the benches: a catalog (groups in a hierarchy,
 * users with emails and memberships, Schedules, Systems and Components with
 * the annotations the plugin reads) and a Prometheus-like fact provider.
 *
 * The entities look like what the catalog serves: uid, etag and the relations
 * the catalog derives (memberOf, childOf/parentOf, ownedBy, partOf), because
 * the plugin reads the organisation from relations, not from `spec`.
 *
 * Prometheus-like facts use the value shapes of the evaluator bench
 * (bench/readiness-evaluator.ts), which keeps its own copy of the generator:
 * it is a script with top-level code and is not imported from here.
 */
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { ANNOTATIONS } from '@opsready/plugin-operability-common';
import {
  ALERTING_FACTS,
  INSTRUMENTATION_FACTS,
  type AlertRoutesFact,
  type AlertRuleFact,
  type FactDefinition,
  type FactProvider,
  type FactValue,
} from '@opsready/plugin-operability-node';

// --- Randomness ---------------------------------------------------------------

export function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a: a stable per-entity seed. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function dice(random: () => number) {
  return {
    chance: (p: number) => random() < p,
    pick: <T>(values: readonly T[]): T =>
      values[Math.floor(random() * values.length)],
    int: (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1)),
  };
}

// --- The catalog ----------------------------------------------------------------

export interface GeneratedCatalog {
  /** Everything, as the catalog would serve it. */
  entities: Entity[];
  components: Entity[];
  systems: Entity[];
  groups: Entity[];
  users: Entity[];
  schedules: Entity[];
  /** Counts that describe the data, for the bench's output. */
  stats: {
    ownSchedule: number;
    inheritsFromSystem: number;
    inheritsFromGroup: number;
    noSchedule: number;
    danglingSchedule: number;
  };
}

export interface CatalogOptions {
  components?: number;
  groups?: number;
  users?: number;
  schedules?: number;
  systems?: number;
  seed?: number;
}

const NS = 'default';

function uidOf(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

/**
 * A catalog of `components` Components (default 10,000), ~60 Groups
 * (root, departments, teams, sub-teams), ~600 Users, ~40 Schedules with 3–9
 * primary members each and ~30 Systems. About half the Components inherit a
 * schedule from their System or owner Group; ~10% name their own.
 *
 * Above 10,000 Components the organisation grows with them: Groups, Users,
 * Schedules and Systems are scaled by `components / 10,000` (600 Groups,
 * 6,000 Users, 400 Schedules and 300 Systems at 100,000), so teams keep
 * their size and their share of services. At 10,000 and below the catalog
 * is the same as it always was.
 */
export function generateCatalog(
  options: CatalogOptions = {},
): GeneratedCatalog {
  const COMPONENTS = options.components ?? 10_000;
  const scale = Math.max(1, COMPONENTS / 10_000);
  const scaled = (n: number) => Math.round(n * scale);
  const GROUPS = Math.max(options.groups ?? scaled(60), 8);
  const USERS = options.users ?? scaled(600);
  const SCHEDULES = options.schedules ?? scaled(40);
  const SYSTEMS = options.systems ?? scaled(30);
  const random = mulberry32(options.seed ?? 20260302);
  const { chance, pick, int } = dice(random);
  let uid = 0;
  const meta = (name: string, extra: Partial<Entity['metadata']> = {}) => ({
    name,
    namespace: NS,
    uid: uidOf(++uid),
    etag: (hashString(`${name}:${uid}`) >>> 0).toString(16),
    ...extra,
  });

  // Groups: one root, departments under it, teams under departments and a
  // few sub-teams under teams.
  const DEPARTMENTS = 6;
  const SUBTEAMS = Math.round((GROUPS - 1 - DEPARTMENTS) / 4);
  const TEAMS = GROUPS - 1 - DEPARTMENTS - SUBTEAMS;
  interface G {
    name: string;
    parent?: string;
    children: string[];
    type: string;
  }
  const groupDefs: G[] = [{ name: 'org', children: [], type: 'organization' }];
  for (let d = 0; d < DEPARTMENTS; d++) {
    groupDefs.push({
      name: `dept-${d}`,
      parent: 'org',
      children: [],
      type: 'department',
    });
  }
  for (let t = 0; t < TEAMS; t++) {
    groupDefs.push({
      name: `team-${t}`,
      parent: `dept-${t % DEPARTMENTS}`,
      children: [],
      type: 'team',
    });
  }
  for (let s = 0; s < SUBTEAMS; s++) {
    groupDefs.push({
      name: `team-${TEAMS + s}`,
      parent: `team-${s}`,
      children: [],
      type: 'sub-team',
    });
  }
  const byName = new Map(groupDefs.map(g => [g.name, g]));
  for (const g of groupDefs)
    if (g.parent) byName.get(g.parent)!.children.push(g.name);
  const teamNames = groupDefs
    .filter(g => g.type === 'team' || g.type === 'sub-team')
    .map(g => g.name);

  // Users: each in one team, a fifth in a second one.
  const membersOf = new Map<string, string[]>(teamNames.map(t => [t, []]));
  const users: Entity[] = [];
  for (let u = 0; u < USERS; u++) {
    const name = `user-${u}`;
    const teams = [teamNames[u % teamNames.length]];
    if (chance(0.2)) {
      const other = pick(teamNames);
      if (!teams.includes(other)) teams.push(other);
    }
    for (const t of teams) membersOf.get(t)!.push(name);
    const hasEmail = chance(0.95);
    users.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: meta(name),
      spec: {
        profile: {
          displayName: `User ${u}`,
          ...(hasEmail ? { email: `${name}@example.com` } : {}),
        },
        memberOf: teams,
      },
      relations: teams.map(t => ({
        type: 'memberOf',
        targetRef: `group:${NS}/${t}`,
      })),
    });
  }

  // Schedules: owned by the first teams, members mostly from the owner team.
  const TURNS = ['P1W', 'P1W', 'P3D', 'P1D', 'P2W'];
  const ZONES = ['Europe/Paris', 'America/Toronto', 'UTC', 'Asia/Tokyo'];
  const schedules: Entity[] = [];
  const scheduleOwner: string[] = [];
  for (let s = 0; s < SCHEDULES; s++) {
    const owner = teamNames[s % teamNames.length];
    scheduleOwner.push(owner);
    const pool = [...membersOf.get(owner)!];
    const size = int(3, 9);
    const primary: string[] = [];
    while (primary.length < size) {
      // Sometimes somebody from outside the team (owners-share < 1).
      const candidate =
        pool.length > 0 && !chance(0.1)
          ? pool.splice(Math.floor(random() * pool.length), 1)[0]
          : `user-${int(0, USERS - 1)}`;
      if (!primary.includes(candidate)) primary.push(candidate);
    }
    const ref = (n: string) => (chance(0.5) ? n : `user:${NS}/${n}`);
    const secondary = chance(0.5)
      ? 'next-in-rotation'
      : {
          members: Array.from(
            { length: int(2, 4) },
            () => `user-${int(0, USERS - 1)}`,
          ).map(ref),
        };
    schedules.push({
      apiVersion: 'operability.io/v1alpha1',
      kind: 'Schedule',
      metadata: meta(`schedule-${s}`, { title: `On-call ${owner}` }),
      spec: {
        owner: `group:${NS}/${owner}`,
        timeZone: pick(ZONES),
        handoff: {
          start: `2026-01-${String(int(1, 28)).padStart(2, '0')}T09:00`,
          turn: pick(TURNS),
        },
        primary: primary.map(ref),
        secondary,
        ...(chance(0.2)
          ? {
              overrides: [
                {
                  role: 'primary',
                  user: `user:${NS}/${pick(primary)}`,
                  start: '2026-03-02T09:00',
                  end: '2026-03-03T09:00',
                },
              ],
            }
          : {}),
      },
      relations: [{ type: 'ownedBy', targetRef: `group:${NS}/${owner}` }],
    });
  }
  const scheduleRef = (s: number) =>
    s % 3 === 0 ? `schedule-${s}` : `schedule:${NS}/schedule-${s}`;

  // Groups as entities; every other team that owns a schedule names it, so
  // its Components without a System schedule inherit it.
  const groupSchedule = new Map<string, number>();
  scheduleOwner.forEach((team, s) => {
    if (s % 2 === 1 && !groupSchedule.has(team)) groupSchedule.set(team, s);
  });
  const groups: Entity[] = groupDefs.map(g => {
    const schedule = groupSchedule.get(g.name);
    const annotations: Record<string, string> = {};
    if (chance(0.5)) annotations[ANNOTATIONS.slackChannel] = `#${g.name}`;
    if (schedule !== undefined)
      annotations[ANNOTATIONS.onCallSchedule] = scheduleRef(schedule);
    const relations = [
      ...(g.parent
        ? [{ type: 'childOf', targetRef: `group:${NS}/${g.parent}` }]
        : []),
      ...g.children.map(c => ({
        type: 'parentOf',
        targetRef: `group:${NS}/${c}`,
      })),
      ...(membersOf.get(g.name) ?? []).map(u => ({
        type: 'hasMember',
        targetRef: `user:${NS}/${u}`,
      })),
    ];
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: meta(g.name, { annotations }),
      spec: {
        type: g.type,
        profile: {
          displayName: g.name.replace(/-/g, ' ').toUpperCase(),
          ...(chance(0.8) ? { email: `${g.name}@example.com` } : {}),
        },
        ...(g.parent ? { parent: g.parent } : {}),
        children: g.children,
      },
      relations,
    };
  });

  // Systems: half name a schedule.
  const systems: Entity[] = [];
  for (let s = 0; s < SYSTEMS; s++) {
    const owner = pick(teamNames);
    systems.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: meta(`system-${s}`, {
        title: `System ${s}`,
        description: `Business system ${s}`,
        annotations:
          s % 2 === 0
            ? { [ANNOTATIONS.onCallSchedule]: scheduleRef(s % SCHEDULES) }
            : {},
      }),
      spec: { owner: `group:${NS}/${owner}` },
      relations: [{ type: 'ownedBy', targetRef: `group:${NS}/${owner}` }],
    });
  }

  // Components.
  const WORDS = [
    'payments',
    'checkout',
    'search',
    'ledger',
    'identity',
    'catalog',
    'billing',
    'shipping',
  ];
  const components: Entity[] = [];
  const stats = {
    ownSchedule: 0,
    inheritsFromSystem: 0,
    inheritsFromGroup: 0,
    noSchedule: 0,
    danglingSchedule: 0,
  };
  for (let i = 0; i < COMPONENTS; i++) {
    const name = `svc-${i}`;
    const word = pick(WORDS);
    let owner: string | undefined;
    let ownerTeam: string | undefined;
    const o = random();
    if (o < 0.88) {
      ownerTeam = pick(teamNames);
      owner = chance(0.5) ? ownerTeam : `group:${NS}/${ownerTeam}`;
    } else if (o < 0.93) owner = `user:${NS}/user-${int(0, USERS - 1)}`;
    else if (o < 0.96) owner = `group:${NS}/dept-${int(0, DEPARTMENTS - 1)}`;
    else if (o < 0.99) owner = `group:${NS}/ghost-${int(0, 20)}`;
    const system = chance(0.6) ? int(0, SYSTEMS - 1) : undefined;
    const annotations: Record<string, string> = {};
    if (chance(0.1)) {
      if (chance(0.05)) {
        annotations[ANNOTATIONS.onCallSchedule] = `schedule-missing-${i}`;
        stats.danglingSchedule++;
      } else {
        annotations[ANNOTATIONS.onCallSchedule] = scheduleRef(
          int(0, SCHEDULES - 1),
        );
      }
      stats.ownSchedule++;
    } else if (system !== undefined && system % 2 === 0) {
      stats.inheritsFromSystem++;
    } else if (ownerTeam && groupSchedule.has(ownerTeam)) {
      stats.inheritsFromGroup++;
    } else {
      stats.noSchedule++;
    }
    if (chance(0.5))
      annotations[ANNOTATIONS.runbook] = `https://runbooks.example.com/${name}`;
    if (chance(0.5)) annotations[ANNOTATIONS.techdocsRef] = 'dir:.';
    if (chance(0.4))
      annotations[ANNOTATIONS.grafanaDashboardSelector] = `tags @> '${name}'`;
    if (chance(0.2)) annotations['jaegertracing.io/service'] = name;
    if (chance(0.7)) annotations[ANNOTATIONS.prometheusJob] = name;
    if (chance(0.3))
      annotations[ANNOTATIONS.prometheusAlert] = `${name}Down, ${name}Slow`;
    annotations['github.com/project-slug'] = `example-org/${name}`;
    const links = [
      ...(chance(0.2)
        ? [
            {
              url: `https://grafana.example.com/d/${name}`,
              type: 'dashboard',
              title: 'Dashboard',
            },
          ]
        : []),
      ...(chance(0.1)
        ? [
            {
              url: `https://wiki.example.com/${name}/runbook`,
              type: 'runbook',
              title: 'Runbook',
            },
          ]
        : []),
    ];
    const spec: JsonObject = {
      type: pick(['service', 'service', 'service', 'website', 'library']),
      lifecycle: chance(0.8) ? 'production' : 'experimental',
      ...(owner ? { owner } : {}),
      ...(system !== undefined ? { system: `system-${system}` } : {}),
    };
    const relations = [
      ...(owner
        ? [
            {
              type: 'ownedBy',
              targetRef: owner.includes(':') ? owner : `group:${NS}/${owner}`,
            },
          ]
        : []),
      ...(system !== undefined
        ? [{ type: 'partOf', targetRef: `system:${NS}/system-${system}` }]
        : []),
    ];
    components.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: meta(name, {
        ...(chance(0.3) ? { title: `${word} service ${i}` } : {}),
        ...(chance(0.85)
          ? { description: `The ${word} service number ${i}` }
          : {}),
        tags: chance(0.3) ? ['java', word] : [word],
        annotations,
        ...(links.length ? { links } : {}),
      }),
      spec,
      relations,
    });
  }

  return {
    entities: [...groups, ...users, ...schedules, ...systems, ...components],
    components,
    systems,
    groups,
    users,
    schedules,
    stats,
  };
}

// --- Prometheus-like facts ------------------------------------------------------

export const PROMETHEUS_FACT_DEFINITIONS: FactDefinition[] = [
  {
    name: INSTRUMENTATION_FACTS.targetsCount,
    type: 'number',
    description: 'scrape targets',
  },
  {
    name: INSTRUMENTATION_FACTS.targetsUpRatio,
    type: 'number',
    description: 'share up',
  },
  {
    name: INSTRUMENTATION_FACTS.goldenSignals,
    type: 'string[]',
    description: 'golden signals',
  },
  {
    name: INSTRUMENTATION_FACTS.targetInfo,
    type: 'boolean',
    description: 'target_info',
  },
  { name: ALERTING_FACTS.rules, type: 'object', description: 'alerting rules' },
  { name: ALERTING_FACTS.routes, type: 'object', description: 'alert routes' },
];

const PROMETHEUS_URL = 'http://prometheus.example.com:9090';
const ALERTMANAGER_URL = 'http://alertmanager.example.com:9093';

function entityRef(entity: Entity): string {
  return `${entity.kind}:${entity.metadata.namespace ?? NS}/${
    entity.metadata.name
  }`.toLocaleLowerCase('en-US');
}

/** The facts of one entity for one generation of its data; deterministic. */
export function prometheusFactsOf(
  ref: string,
  generation: number,
  collectedAt: string,
): FactValue[] {
  const random = mulberry32(hashString(ref));
  const { chance, pick, int } = dice(random);
  // 5% are not scraped at all: Prometheus knows nothing of them.
  if (chance(0.05)) return [];
  const job = ref.slice(ref.indexOf('/') + 1);
  const targets = int(0, 5) + generation; // a change always changes a value
  const up = targets === 0 ? 0 : pick([0.5, 1, 1, 1]);
  const rules: AlertRuleFact[] = [];
  const ruleCount = chance(0.15) ? 0 : int(1, 6);
  for (let i = 0; i < ruleCount; i++) {
    rules.push({
      alert: `${job}Alert${i}`,
      file: `rules/${job}-${i % 3}.yaml`,
      group: job,
      severity: chance(0.1) ? undefined : pick(['critical', 'warning', 'info']),
      runbookUrl: chance(0.7)
        ? `https://runbooks.example.com/${job}/a${i}`
        : undefined,
      forSeconds: pick([0, 30, 60, 300, 600]),
      burnRate: chance(0.2),
      labels: { job, severity: 'critical' },
    });
  }
  const pages = chance(0.75);
  const routes: AlertRoutesFact = {
    critical: {
      receivers: chance(0.1)
        ? []
        : [
            {
              name: pages ? 'pagerduty' : 'slack',
              pages,
              routePath: 'route > routes[0]',
            },
          ],
    },
    warning: {
      receivers: [
        { name: 'slack', pages: false, routePath: 'route > routes[1]' },
      ],
    },
  };
  const prom = `prometheus:${PROMETHEUS_URL}`;
  return [
    {
      name: INSTRUMENTATION_FACTS.targetsCount,
      value: targets,
      source: prom,
      collectedAt,
      evidence: Array.from({ length: Math.min(targets, 3) }, (_, i) => ({
        kind: 'target',
        text: `job=${job} instance=10.0.${i}.${int(1, 254)}:9090`,
      })),
    },
    {
      name: INSTRUMENTATION_FACTS.targetsUpRatio,
      value: up,
      source: prom,
      collectedAt,
    },
    {
      name: INSTRUMENTATION_FACTS.goldenSignals,
      value: pick([
        ['requests', 'errors', 'latency-histogram'],
        ['requests', 'errors'],
        [],
      ]),
      source: prom,
      collectedAt,
    },
    {
      name: INSTRUMENTATION_FACTS.targetInfo,
      value: chance(0.4),
      source: prom,
      collectedAt,
    },
    {
      name: ALERTING_FACTS.rules,
      value: rules,
      source: `${prom}/api/v1/rules`,
      collectedAt,
      evidence: rules.map(r => ({
        kind: 'rule',
        text: r.alert,
        source: r.file,
      })),
    },
    {
      name: ALERTING_FACTS.routes,
      value: routes,
      source: `alertmanager:${ALERTMANAGER_URL}`,
      collectedAt,
    },
  ];
}

/**
 * A fact provider that answers like the Prometheus module would, for every
 * entity, stamping the collection time. `change(fraction)` makes the facts of
 * that share of entities (a deterministic selection) differ from then on.
 */
export function createPrometheusLikeProvider(id = 'prometheus') {
  const generation = new Map<string, number>();
  let collections = 0;
  let collectMs = 0;
  const provider: FactProvider = {
    id,
    facts: PROMETHEUS_FACT_DEFINITIONS,
    async collect({ entities }) {
      const t0 = performance.now();
      const collectedAt = new Date().toISOString();
      const facts = new Map<string, FactValue[]>();
      for (const entity of entities) {
        const ref = entityRef(entity);
        facts.set(
          ref,
          prometheusFactsOf(ref, generation.get(ref) ?? 0, collectedAt),
        );
      }
      collections++;
      collectMs += performance.now() - t0;
      return { facts };
    },
  };
  return {
    provider,
    /** Changes the facts of every entity whose index hashes into `fraction`. */
    change(entities: Entity[], fraction: number): number {
      let changed = 0;
      for (const entity of entities) {
        const ref = entityRef(entity);
        if ((hashString(`change:${ref}`) % 1000) / 1000 < fraction) {
          generation.set(ref, (generation.get(ref) ?? 0) + 1);
          changed++;
        }
      }
      return changed;
    },
    stats: () => ({ collections, collectMs }),
  };
}
