/**
 * The contract shared by the operability frontend, backend and modules.
 * Field names are part of the REST API.
 */

/**
 * A full, lower-case entity reference, e.g. `component:default/payments-api`.
 * @public
 */
export type EntityRef = string;

/** @public */
export type Level = 'none' | 'bronze' | 'silver' | 'gold';

/** @public */
export type CheckLevel = Exclude<Level, 'none'>;

/** @public */
export type CheckStatus =
  | 'pass'
  | 'fail'
  | 'unknown'
  | 'exempt'
  | 'not-applicable';

/** @public */
export interface Person {
  ref: EntityRef;
  title?: string;
  email?: string;
}

/**
 * Who owns an entity: the declared owner and the team it resolves to.
 * @public
 */
export interface Ownership {
  /** `spec.owner` as written, normalised to a full ref. */
  declared: EntityRef | null;
  /** The resolved team (Group); null when none exists. */
  ref: EntityRef | null;
  title?: string;
  /** How `spec.owner` led to the team. */
  resolvedFrom?: 'group' | 'user' | 'dangling' | 'none';
  /** Members of the team; `direct: false` for members of its sub-teams. */
  members: (Person & { direct: boolean })[];
  contacts: { email?: string; slack?: string };
  /** Parent teams, nearest first. */
  parents: EntityRef[];
}

/** @public */
export interface OnCall {
  /**
   * The id of the on-call provider that answered: `schedule` for a Schedule
   * kept in the catalog, `pagerduty` for PagerDuty, or the id of any other
   * installed provider.
   */
  source: string;
  /** The Schedule entity, when source is 'schedule'. */
  scheduleRef?: EntityRef;
  /** The System or Group whose schedule applies. */
  inheritedFrom?: EntityRef;
  primary: Person | null;
  secondary: Person | null;
  /**
   * People learning the rotation at this instant: told about pages, not paged
   * (a Schedule's `spec.shadows`). Empty when none, and always empty from a
   * provider without shadows (PagerDuty).
   */
  shadows: Person[];
  /** ISO instant the current primary's shift ends. */
  until: string | null;
  /** unknown: the source failed; none: nobody is on call. */
  status: 'ok' | 'unknown' | 'none';
  reason?: string;
  /** When this answer was obtained. */
  asOf: string;
  /**
   * Set when the source failed (an error, a timeout, or an `unknown` answer)
   * and this is the last good answer, kept: `since` is when it was last good
   * (ISO instant), `reason` why the latest lookup failed. Absent on fresh answers.
   */
  stale?: StaleMark;
  /**
   * The source's own web pages behind this answer, to link to; absent when
   * the source has none (a Schedule in the catalog is linked by
   * `scheduleRef`). PagerDuty: the `html_url`s of the service, its
   * escalation policy and the schedule of the primary's level.
   */
  links?: OnCallLinks;
}

/**
 * Web pages of an on-call source (absolute URLs), each present when known.
 * @public
 */
export interface OnCallLinks {
  /** The service, e.g. PagerDuty's service page. */
  service?: string;
  /** The escalation policy that pages. */
  escalationPolicy?: string;
  /** The schedule of the primary's level. */
  schedule?: string;
}

/**
 * Marks a value kept from the last good lookup because the latest one failed.
 * @public
 */
export interface StaleMark {
  /** ISO instant the value was last known good. */
  since: string;
  /** Why the latest lookup failed. */
  reason: string;
}

/** @public */
export interface CheckEvidence {
  kind: string;
  text: string;
  source?: string;
}

/** @public */
export interface CheckResult {
  id: string;
  title: string;
  category: string;
  level: CheckLevel;
  weight: number;
  status: CheckStatus;
  message: string;
  remediation?: string;
  evidence: CheckEvidence[];
  exemption?: Pick<Exemption, 'id' | 'reason' | 'author' | 'expiresAt'>;
  /**
   * Set when the result was evaluated from stale facts (a source failed and
   * its last good facts were used): since when the oldest of them is stale,
   * and why.
   */
  stale?: StaleMark;
  /**
   * Set while the check is announced but does not count yet: it has an
   * `enforcedFrom` date that is still ahead. Such a result is evaluated and
   * shown (with `enforcedFrom`) but counts towards neither the score nor the
   * level. Absent once the check counts.
   */
  upcoming?: true;
  /**
   * The date the check starts counting, `YYYY-MM-DD` (from 00:00 UTC); set
   * together with `upcoming`.
   */
  enforcedFrom?: string;
}

/** @public */
export interface Readiness {
  score: number;
  level: Level;
  evaluatedAt: string;
  checks: CheckResult[];
  /**
   * What went wrong reading this entity's own sources in the last cycle (a
   * rule file that does not parse, a file that is missing); the checks that
   * need those facts are unknown. Absent when there were none.
   */
  problems?: SourceProblem[];
}

/**
 * A fact provider's problem with one entity's input, not with the whole source.
 * @public
 */
export interface SourceProblem {
  /** The fact provider's id, e.g. `alert-rules`. */
  provider: string;
  message: string;
}

/**
 * The answer of `GET /v1/entities/:kind/:namespace/:name`.
 * @public
 */
export interface EntityReport {
  entityRef: EntityRef;
  title?: string;
  owner: Ownership;
  /** null when no schedule or provider covers the entity. */
  onCall: OnCall | null;
  /** null until first evaluated. */
  readiness: Readiness | null;
  /**
   * The campaigns whose scope the entity is in, by deadline; absent when no
   * campaign is configured.
   */
  campaigns?: EntityCampaign[];
}

/**
 * One page of a list answer.
 * @public
 */
export interface Page<T> {
  items: T[];
  total: number;
  nextCursor?: string;
}

/**
 * A row of `GET /v1/scorecards`.
 * @public
 */
export interface ScorecardRow {
  entityRef: EntityRef;
  title?: string;
  kind: string;
  type?: string;
  lifecycle?: string;
  system?: EntityRef;
  owner: Pick<Ownership, 'declared' | 'ref' | 'title' | 'resolvedFrom'>;
  onCall?: OnCall | null;
  score: number | null;
  level: Level | null;
  evaluatedAt: string | null;
  /** Ids of the checks that fail. */
  failedChecks?: string[];
}

/**
 * A result of `GET /v1/who-owns`.
 * @public
 */
export interface WhoOwnsResult {
  entityRef: EntityRef;
  title?: string;
  owner: Ownership;
  onCall: OnCall | null;
}

/**
 * A team's roll-up in `GET /v1/teams`.
 * @public
 */
export interface TeamRollup {
  ref: EntityRef;
  title?: string;
  services: number;
  averageScore: number;
  levels: Record<Level, number>;
  /** The checks that fail most among the team's services. */
  mostFailedChecks: { id: string; failing: number }[];
}

/**
 * A check of the rubric in force, from `GET /v1/checks`.
 * @public
 */
export interface CheckDescription {
  id: string;
  title: string;
  category: string;
  level: CheckLevel;
  /** Tech Insights maturity rank: 1 bronze, 2 silver, 3 gold. */
  rank: 1 | 2 | 3;
  weight: number;
  description: string;
  remediation: string;
  filter?: Record<string, string[]>;
  evaluator?: string;
  condition?: unknown;
  /**
   * The date the check starts counting towards score and level,
   * `YYYY-MM-DD` (from 00:00 UTC); before it the check is `upcoming`.
   */
  enforcedFrom?: string;
}

/**
 * What the catalog module stamps on an entity, from `GET /v1/catalog-stamps`.
 * @public
 */
export interface CatalogStamp {
  entityRef: EntityRef;
  score: number;
  level: Level;
  ownerTeam: EntityRef | null;
  onCallSchedule?: EntityRef;
  /** The System or Group the schedule is inherited from. */
  onCallInheritedFrom?: EntityRef;
}

/**
 * The query parameters of `GET /v1/scorecards`: filters, order and page.
 * Absent, `kind` is `component`, `sort` `name`, `order` `asc` and `limit` 50
 * (at most 500).
 * @public
 */
export interface ScorecardsQuery {
  /**
   * The owning team or declared owner; a bare name means
   * `group:default/<name>`. Several: services of any of them.
   */
  owner?: string | string[];
  level?: Level;
  kind?: string;
  type?: string;
  lifecycle?: string;
  /** Part of the entity ref or title, any case. */
  q?: string;
  /** Only services failing this check id. */
  failing?: string;
  sort?: 'name' | 'owner' | 'score' | 'level';
  order?: 'asc' | 'desc';
  limit?: number;
  /** A previous page's `nextCursor`. */
  cursor?: string;
}

/**
 * A person's turn on call in one role, from
 * `GET /v1/entities/:kind/:namespace/:name/on-call/shifts`.
 * @public
 */
export interface Shift {
  /** `shadow`: a Schedule's shadow window, someone learning the rotation (not paged). */
  role: 'primary' | 'secondary' | 'shadow';
  person: Person;
  /** ISO instant the shift starts. */
  start: string;
  /** ISO instant the shift ends (exclusive). */
  end: string;
  /** True when an override, not the rotation, put this person here. */
  override: boolean;
}

/**
 * The answer of `GET /v1/entities/:kind/:namespace/:name/on-call/shifts`:
 * the next shifts of both roles of the schedule that covers the entity, then
 * the shadow windows of those weeks.
 * @public
 */
export interface OnCallShifts {
  scheduleRef: EntityRef;
  shifts: Shift[];
}

/**
 * A page: an alert that reached a human, as the on-call load lists it.
 * (Named `PagerPage` because `Page<T>` is the list envelope.)
 * @public
 */
export interface PagerPage {
  /** ISO instant the page was raised. */
  at: string;
  title: string;
  /**
   * Where the page came from: `pagerduty`, `prometheus`, `file`, or the id of
   * any other installed page source.
   */
  source: string;
  /** Whoever was primary at that instant; null when nobody (or unknown). */
  primary: Person | null;
  /** True outside working hours in the schedule's time zone. */
  offHours: boolean;
}

/**
 * One primary turn in the window of an on-call load (overrides split turns),
 * with the pages raised during it.
 * @public
 */
export interface OnCallLoadShift {
  /** ISO instant the turn starts (clipped to the window). */
  start: string;
  /** ISO instant the turn ends, exclusive (clipped to the window). */
  end: string;
  primary: Person | null;
  pages: number;
  offHoursPages: number;
}

/**
 * One person's share of an on-call load.
 * @public
 */
export interface OnCallLoadPerson {
  person: Person;
  /** Primary turns in the window. */
  shifts: number;
  pages: number;
  offHoursPages: number;
}

/**
 * The answer of `GET /v1/entities/:kind/:namespace/:name/on-call/load?from&to`
 * (default the last 28 days).
 * @public
 */
export interface OnCallLoad {
  /** ISO instant, inclusive. */
  from: string;
  /** ISO instant, exclusive. */
  to: string;
  /** The IANA time zone off-hours are judged in (the schedule's). */
  timeZone: string;
  /** Oldest first. */
  pages: PagerPage[];
  /** Oldest first. */
  shifts: OnCallLoadShift[];
  /** Most pages first. */
  people: OnCallLoadPerson[];
  /** The busiest person's share of the pages, 0..1; 0 when there are none. */
  busiestShare: number;
  /**
   * Mean time to acknowledge, in seconds, over the pages whose source
   * reports acknowledgements; absent when none does.
   */
  mtta?: number;
  /**
   * Mean time to resolve, in seconds, over the pages whose source reports
   * resolutions; absent when none does.
   */
  mttr?: number;
}

/**
 * One point of `GET /v1/entities/:kind/:namespace/:name/history`.
 * @public
 */
export interface HistoryPoint {
  /** ISO instant. */
  time: string;
  score: number;
  level: Level;
}

/**
 * An exemption of one check of one entity, from
 * `GET /v1/entities/:kind/:namespace/:name/exemptions`.
 * @public
 */
export interface Exemption {
  id: string;
  entityRef: EntityRef;
  checkId: string;
  reason: string;
  /** The user entity ref of who added it. */
  author: string;
  /** ISO instant; the exemption stops counting at this instant. */
  expiresAt: string;
}

/**
 * The body of `POST /v1/entities/:kind/:namespace/:name/exemptions`.
 * @public
 */
export type NewExemption = Pick<Exemption, 'checkId' | 'reason' | 'expiresAt'>;

/**
 * What a campaign asks of the services in its scope: that every one of these
 * checks passes (or is exempt, or does not apply), or that the service
 * reaches this level.
 * @public
 */
export type CampaignTarget = { checks: string[] } | { level: CheckLevel };

/**
 * Where a campaign is: before its start date, between start and deadline
 * (both inclusive), or after its deadline.
 * @public
 */
export type CampaignState = 'upcoming' | 'active' | 'ended';

/**
 * A campaign, a time-boxed goal from `operability.campaigns`, with its
 * progress: an item of `GET /v1/campaigns`.
 * @public
 */
export interface CampaignSummary {
  id: string;
  title: string;
  description?: string;
  /** First day, `YYYY-MM-DD` (UTC). */
  start: string;
  /** Last day, `YYYY-MM-DD` (UTC), inclusive. */
  deadline: string;
  state: CampaignState;
  target: CampaignTarget;
  /** Services in scope (that the caller may read). */
  total: number;
  /** Of those, the ones that meet the target. */
  done: number;
}

/**
 * One team's progress in a campaign.
 * @public
 */
export interface CampaignTeam {
  /** The owning team (or the declared owner when it resolves to no team). */
  ref: EntityRef;
  title?: string;
  total: number;
  done: number;
}

/**
 * Services still open on one day of a campaign.
 * @public
 */
export interface CampaignBurndownPoint {
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  remaining: number;
}

/**
 * The answer of `GET /v1/campaigns/:id`.
 * @public
 */
export interface CampaignDetail extends CampaignSummary {
  teams: CampaignTeam[];
  /** One point per day since the start (the days the plugin recorded), oldest first. */
  burndown: CampaignBurndownPoint[];
}

/**
 * A service in a campaign's scope: an item of
 * `GET /v1/campaigns/:id/services`.
 * @public
 */
export interface CampaignServiceItem {
  entityRef: EntityRef;
  /** The owning team, or the declared owner; null when there is none. */
  owner: EntityRef | null;
  done: boolean;
  /** The target's checks that fail (or are unknown) and keep it open. */
  failing: string[];
}

/**
 * A campaign as the entity report shows it for one entity.
 * @public
 */
export interface EntityCampaign {
  id: string;
  title: string;
  /** `YYYY-MM-DD` (UTC), inclusive. */
  deadline: string;
  done: boolean;
  /** The target's checks that keep this entity open. */
  failing: string[];
}

/**
 * The query of `GET /v1/campaigns/:id/services`. Absent, `limit` is 50 (at
 * most 500).
 * @public
 */
export interface CampaignServicesQuery {
  /** The owning team or declared owner; a bare name means `group:default/<name>`. */
  owner?: string;
  done?: boolean;
  limit?: number;
  /** A previous page's `nextCursor`. */
  cursor?: string;
}
