import type {
  CheckEvidence,
  CheckResult,
  CheckStatus,
  Exemption,
  Level,
  Readiness,
  SourceProblem,
  StaleMark,
} from '@opsready/plugin-operability-common';
import { describeFilter } from './evaluator/evaluate';
import type { CheckDefinition } from './types';

/**
 * How a readiness report is stored (`operability_reports.readiness`), in its
 * second version: only what re-renders the report and the rubric does not
 * have. Each check is its status, message and evidence (and, when set, its
 * stale mark, exemption and upcoming flag); its title, category, level,
 * weight, description, remediation and `enforcedFrom` are the rubric's and
 * are joined when the report is read (`readinessFromStored`), as is a
 * not-applicable check's message (its filter, described).
 *
 * Rows of the first version (a `Readiness` without `evaluatedAt`, every
 * check with its rubric fields) are read as they are: the next cycle
 * rewrites each report in this version.
 */
export interface StoredReadinessV2 {
  v: 2;
  score: number;
  level: Level;
  /** Check id → the stored result, in the order of evaluation. */
  checks: Record<string, StoredCheck>;
  problems?: SourceProblem[];
}

/** `pass`, `fail`, `unknown`, `exempt`, `not-applicable`. */
export type StoredStatus = 'p' | 'f' | 'u' | 'x' | 'n';

/** `[kind, text]` or `[kind, text, source]`. */
export type StoredEvidence = [string, string] | [string, string, string];

/** What a check's result has beside status, message and evidence. */
export interface StoredCheckExtra {
  stale?: StaleMark;
  exemption?: Pick<Exemption, 'id' | 'reason' | 'author' | 'expiresAt'>;
  upcoming?: true;
}

/**
 * One check's result: `[status]` for a not-applicable check;
 * `[status, message, evidence?, extra?]` otherwise, where evidence `'facts'`
 * stands for one `fact` item per `; `-separated part of the message (what an
 * unknown check's evidence is), and `0` for none when extra follows.
 */
export type StoredCheck =
  | [StoredStatus]
  | [StoredStatus, string]
  | [StoredStatus, string, StoredEvidence[] | 'facts']
  | [StoredStatus, string, StoredEvidence[] | 'facts' | 0, StoredCheckExtra];

/** A stored document: the second version, or a row of the first. */
export type StoredReadiness = StoredReadinessV2 | Readiness;

const STATUS_CODES: Record<CheckStatus, StoredStatus> = {
  pass: 'p',
  fail: 'f',
  unknown: 'u',
  exempt: 'x',
  'not-applicable': 'n',
};
const STATUSES: Record<StoredStatus, CheckStatus> = {
  p: 'pass',
  f: 'fail',
  u: 'unknown',
  x: 'exempt',
  n: 'not-applicable',
};

export function isStoredV2(
  stored: StoredReadiness,
): stored is StoredReadinessV2 {
  return (stored as StoredReadinessV2).v === 2;
}

/** Whether evidence is exactly the message's parts as `fact` items. */
function isFactsOfMessage(evidence: CheckEvidence[], message: string) {
  if (evidence.length === 0 || evidence[0].kind !== 'fact') return false;
  const parts = message.split('; ');
  return (
    parts.length === evidence.length &&
    evidence.every(
      (item, i) =>
        item.kind === 'fact' &&
        item.text === parts[i] &&
        item.source === undefined,
    )
  );
}

function encodeEvidence(evidence: CheckEvidence[]): StoredEvidence[] {
  return evidence.map(item =>
    item.source === undefined
      ? [item.kind, item.text]
      : [item.kind, item.text, item.source],
  );
}

/** The second stored version of a readiness (its evaluation time is a column). */
export function encodeReadiness(readiness: Readiness): StoredReadinessV2 {
  const checks: Record<string, StoredCheck> = {};
  for (const check of readiness.checks) {
    const status = STATUS_CODES[check.status];
    if (status === 'n' && check.evidence.length === 0) {
      checks[check.id] = ['n'];
      continue;
    }
    let evidence: StoredEvidence[] | 'facts' | 0;
    if (check.evidence.length === 0) evidence = 0;
    else if (isFactsOfMessage(check.evidence, check.message)) {
      evidence = 'facts';
    } else {
      evidence = encodeEvidence(check.evidence);
    }
    const extra: StoredCheckExtra = {
      ...(check.stale ? { stale: check.stale } : {}),
      ...(check.exemption ? { exemption: check.exemption } : {}),
      ...(check.upcoming ? { upcoming: true as const } : {}),
    };
    if (Object.keys(extra).length > 0) {
      checks[check.id] = [status, check.message, evidence, extra];
    } else if (evidence !== 0) {
      checks[check.id] = [status, check.message, evidence];
    } else {
      checks[check.id] = [status, check.message];
    }
  }
  return {
    v: 2,
    score: readiness.score,
    level: readiness.level,
    checks,
    ...(readiness.problems?.length ? { problems: readiness.problems } : {}),
  };
}

function decodeEvidence(
  evidence: StoredEvidence[] | 'facts' | 0 | undefined,
  message: string,
): CheckEvidence[] {
  if (!evidence) return [];
  if (evidence === 'facts') {
    return message.split('; ').map(text => ({ kind: 'fact', text }));
  }
  return evidence.map(([kind, text, source]) =>
    source === undefined ? { kind, text } : { kind, text, source },
  );
}

/**
 * A stored report as the routes answer it: the rubric's fields joined to each
 * check (a check no longer in the rubric keeps its id as its title), the
 * evaluation time from its column. A row of the first version is returned
 * as it is, with the evaluation time.
 */
export function readinessFromStored(
  stored: StoredReadiness,
  evaluatedAt: string,
  checksById: ReadonlyMap<string, CheckDefinition>,
): Readiness {
  if (!isStoredV2(stored)) return { ...stored, evaluatedAt };
  const checks: CheckResult[] = [];
  for (const [id, entry] of Object.entries(stored.checks)) {
    const d = checksById.get(id);
    const status = STATUSES[entry[0]] ?? 'unknown';
    const message =
      entry[1] ??
      (status === 'not-applicable' ? describeFilter(d?.filter) : '');
    const extra = entry[3];
    const check: CheckResult = {
      id,
      title: d?.title ?? id,
      category: d?.category ?? id.split('.')[0],
      level: d?.level ?? 'bronze',
      weight: d?.weight ?? 0,
      status,
      message,
      evidence: decodeEvidence(entry[2], message),
    };
    if (extra?.exemption) check.exemption = extra.exemption;
    if (extra?.stale) check.stale = extra.stale;
    if (extra?.upcoming) {
      check.upcoming = true;
      if (d?.enforcedFrom) check.enforcedFrom = d.enforcedFrom;
    }
    checks.push(check);
  }
  return {
    score: stored.score,
    level: stored.level,
    evaluatedAt,
    checks,
    ...(stored.problems?.length ? { problems: stored.problems } : {}),
  };
}
