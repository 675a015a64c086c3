// Helpers for this package's tests only; nothing here is exported from the package.
import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type { PermissionApi } from '@backstage/plugin-permission-react';
import { screen } from '@testing-library/react';
import type {
  CheckResult,
  EntityReport,
  ScorecardRow,
} from '@opsready/plugin-operability-common';
import type { OperabilityApi } from '../../api';

/** An OperabilityApi whose every method is a jest mock that rejects until told otherwise. */
export function mockOperabilityApi(): jest.Mocked<OperabilityApi> {
  const unexpected = (name: string) =>
    jest.fn().mockRejectedValue(new Error(`unexpected call to ${name}`));
  return {
    getEntityReport: unexpected('getEntityReport'),
    getOnCall: unexpected('getOnCall'),
    getShifts: unexpected('getShifts'),
    getHistory: unexpected('getHistory'),
    getOnCallLoad: unexpected('getOnCallLoad'),
    getScorecards: unexpected('getScorecards'),
    getTeams: unexpected('getTeams'),
    getChecks: unexpected('getChecks'),
    whoOwns: unexpected('whoOwns'),
    listExemptions: unexpected('listExemptions'),
    addExemption: unexpected('addExemption'),
    deleteExemption: unexpected('deleteExemption'),
    getCampaigns: unexpected('getCampaigns'),
    getCampaign: unexpected('getCampaign'),
    getCampaignServices: unexpected('getCampaignServices'),
    refresh: unexpected('refresh'),
    downloadScorecardsCsv: unexpected('downloadScorecardsCsv'),
    downloadTeamsCsv: unexpected('downloadTeamsCsv'),
    downloadShiftsIcs: unexpected('downloadShiftsIcs'),
  };
}

/**
 * A PermissionApi that allows the permissions named in `allowed` (e.g.
 * `operability.exemption.create`) and denies every other. Mind that
 * usePermission caches answers by permission and resourceRef across the tests
 * of a file: tests that expect different answers need different entities.
 */
export function mockPermissionApi(
  allowed: readonly string[] = [],
): jest.Mocked<PermissionApi> {
  return {
    authorize: jest.fn(async request => ({
      result: allowed.includes(request.permission.name)
        ? ('ALLOW' as const)
        : ('DENY' as const),
    })),
  };
}

/** A promise that never settles, to observe loading states. */
export function pending<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

/** A ResponseError-shaped failure as the client throws it. */
export function responseError(
  status: number,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        request: {},
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}

export const componentEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { owner: 'payments', type: 'service', lifecycle: 'production' },
};

export function check(
  overrides: Partial<CheckResult> & { id: string },
): CheckResult {
  return {
    title: overrides.id,
    category: overrides.id.split('.')[0],
    level: 'bronze',
    weight: 1,
    status: 'pass',
    message: '',
    evidence: [],
    ...overrides,
  };
}

export const report: EntityReport = {
  entityRef: 'component:default/payments-api',
  owner: {
    declared: 'group:default/payments',
    ref: 'group:default/payments',
    title: 'Payments',
    resolvedFrom: 'group',
    members: [
      { ref: 'user:default/alice', title: 'Alice', direct: true },
      { ref: 'user:default/bob', title: 'Bob', direct: false },
    ],
    contacts: { email: 'pay@example.com', slack: '#team-payments' },
    parents: ['group:default/commerce'],
  },
  onCall: {
    source: 'schedule',
    scheduleRef: 'schedule:default/payments-on-call',
    primary: { ref: 'user:default/alice', title: 'Alice' },
    secondary: { ref: 'user:default/bob', title: 'Bob' },
    shadows: [],
    until: '2026-03-09T14:00:00.000Z',
    status: 'ok',
    asOf: '2026-03-02T10:00:00.000Z',
  },
  readiness: null,
};

/** The card or table (a Material UI Paper) whose heading is `title`. */
/** A scorecard row of the org page for payments-api, as the backend answers it. */
export const scorecardRow: ScorecardRow = {
  entityRef: 'component:default/payments-api',
  title: 'Payments API',
  kind: 'component',
  type: 'service',
  lifecycle: 'production',
  owner: {
    declared: 'group:default/payments',
    ref: 'group:default/payments',
    title: 'Payments',
    resolvedFrom: 'group',
  },
  onCall: report.onCall,
  score: 72,
  level: 'silver',
  evaluatedAt: '2026-03-02T10:00:00.000Z',
  failedChecks: ['alerting.runbooks'],
};

export function paperTitled(title: string): HTMLElement {
  const heading = screen.getByRole('heading', { name: title });
  const paper = heading.closest<HTMLElement>('[class*="MuiPaper-root"]');
  if (!paper) throw new Error(`"${title}" is not inside a card or table`);
  return paper;
}
