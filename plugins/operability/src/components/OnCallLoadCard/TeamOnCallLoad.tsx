import type { TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import type { OnCallLoad } from '@opsready/plugin-operability-common';
import useAsync from 'react-use/esm/useAsync';
import { operabilityApiRef } from '../../api';
import { isNotFound } from '../shared/errors';
import { formatShare, loadTotals, windowDays } from './loadFormat';

/** How many of a team's services the team card asks the load of: one request each. */
export const TEAM_LOAD_SERVICES = 5;

/** One service's load as the team card knows it. */
export type ServiceLoad =
  | { state: 'loaded'; load: OnCallLoad }
  | { state: 'uncovered' }
  | { state: 'failed'; error: Error };

export interface TeamOnCallLoad {
  loading: boolean;
  /** By entity ref, for the first {@link TEAM_LOAD_SERVICES} services. */
  loads: Map<string, ServiceLoad>;
  /** The services asked: the first few of the team's. */
  asked: string[];
}

/**
 * The on-call load of the first few services of a team (one request per
 * service, at most {@link TEAM_LOAD_SERVICES}), each answer kept apart: a
 * service without on-call or whose load failed does not hide the others.
 */
export function useTeamOnCallLoad(entityRefs: string[]): TeamOnCallLoad {
  const api = useApi(operabilityApiRef);
  const asked = entityRefs.slice(0, TEAM_LOAD_SERVICES);
  const key = asked.join('\n');
  const { value, loading } = useAsync(async () => {
    const refs = key ? key.split('\n') : [];
    const settled = await Promise.allSettled(
      refs.map(ref => api.getOnCallLoad(ref)),
    );
    const loads = new Map<string, ServiceLoad>();
    settled.forEach((result, i) => {
      if (result.status === 'fulfilled') {
        loads.set(refs[i], { state: 'loaded', load: result.value });
      } else if (isNotFound(result.reason)) {
        loads.set(refs[i], { state: 'uncovered' });
      } else {
        loads.set(refs[i], { state: 'failed', error: result.reason });
      }
    });
    return loads;
  }, [api, key]);
  return { loading, loads: value ?? new Map(), asked };
}

function LoadCell(props: { load: ServiceLoad | undefined; loading: boolean }) {
  const { load, loading } = props;
  if (!load) return <>{loading ? '…' : '—'}</>;
  if (load.state === 'uncovered') return <>no on-call</>;
  if (load.state === 'failed') {
    return (
      <Typography variant="body2" color="error" title={load.error.message}>
        unavailable
      </Typography>
    );
  }
  const totals = loadTotals(load.load);
  return (
    <>
      {totals.pages} ({totals.offHours} off-hours)
      {totals.pages > 0 && (
        <Typography variant="caption" color="textSecondary" display="block">
          busiest {formatShare(load.load.busiestShare)}
        </Typography>
      )}
    </>
  );
}

/**
 * A column for the team card's services table: each service's pages (and
 * off-hours pages) in the load's window, for the services asked; "—" for
 * the rest.
 */
export function teamLoadColumn<T extends { entityRef: string }>(
  team: TeamOnCallLoad,
): TableColumn<T> {
  return {
    title: 'Pages, last 28 days',
    sorting: false,
    render: row => (
      <LoadCell
        load={team.loads.get(row.entityRef)}
        loading={team.loading && team.asked.includes(row.entityRef)}
      />
    ),
  };
}

/**
 * One line over the team's services: their pages summed, of the services
 * asked, and which of those had none covering them or failed.
 */
export function TeamLoadSummary(props: {
  team: TeamOnCallLoad;
  total: number;
}) {
  const { team, total } = props;
  if (team.loading || team.asked.length === 0) return null;
  const loaded = [...team.loads.values()].flatMap(l =>
    l.state === 'loaded' ? [l.load] : [],
  );
  const failed = [...team.loads.values()].filter(
    l => l.state === 'failed',
  ).length;
  let text: string;
  if (loaded.length === 0) {
    text =
      failed > 0
        ? 'On-call load unavailable.'
        : 'No on-call schedule or provider covers these services.';
  } else {
    const pages = loaded.reduce((n, l) => n + loadTotals(l).pages, 0);
    const offHours = loaded.reduce((n, l) => n + loadTotals(l).offHours, 0);
    const days = windowDays(loaded[0]);
    const scope =
      total > team.asked.length
        ? `the first ${team.asked.length} of ${total} services`
        : `${loaded.length} service${loaded.length === 1 ? '' : 's'} on call`;
    text = `On-call load, last ${days} days, over ${scope}: ${pages} page${
      pages === 1 ? '' : 's'
    }, ${offHours} off-hours${failed > 0 ? ` (${failed} unavailable)` : ''}.`;
  }
  return (
    <Typography variant="body2" aria-label="Team on-call load">
      {text}
    </Typography>
  );
}
