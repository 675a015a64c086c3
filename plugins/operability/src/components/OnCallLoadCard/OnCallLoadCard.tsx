import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import type {
  OnCallLoad,
  OnCallLoadPerson,
} from '@opsready/plugin-operability-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import useAsync from 'react-use/esm/useAsync';
import { operabilityApiRef } from '../../api';
import { isNotFound } from '../shared/errors';
import {
  formatSeconds,
  formatShare,
  loadTotals,
  personName,
  shiftBars,
  type ShiftBar,
  windowDays,
} from './loadFormat';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function peopleColumns(total: number): TableColumn<OnCallLoadPerson>[] {
  return [
    {
      title: 'Person',
      field: 'person.ref',
      render: p => (
        <EntityRefLink entityRef={p.person.ref} title={p.person.title} />
      ),
    },
    { title: 'Shifts', field: 'shifts', type: 'numeric' },
    { title: 'Pages', field: 'pages', type: 'numeric' },
    { title: 'Off-hours pages', field: 'offHoursPages', type: 'numeric' },
    {
      title: 'Share of pages',
      field: 'pages',
      type: 'numeric',
      sorting: false,
      render: p => (total > 0 ? formatShare(p.pages / total) : '—'),
    },
  ];
}

/** Pages per shift, stacked: in working hours below, off-hours on top. */
function PagesPerShiftChart(props: { bars: ShiftBar[]; timeZone: string }) {
  const { bars, timeZone } = props;
  const theme = useTheme();
  return (
    <Box component="figure" m={0} aria-label="Pages per shift">
      <ResponsiveContainer width="100%" height={220}>
        <BarChart
          data={bars}
          margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis allowDecimals={false} />
          <Tooltip
            labelFormatter={(_label, items) => {
              const bar = items?.[0]?.payload as ShiftBar | undefined;
              return bar ? `${bar.primary}: ${bar.range}` : '';
            }}
          />
          <Legend />
          <Bar
            dataKey="working"
            name="Working hours"
            stackId="pages"
            fill={theme.palette.primary.main}
            isAnimationActive={false}
          />
          <Bar
            dataKey="offHours"
            name="Off-hours"
            stackId="pages"
            fill={theme.palette.error.main}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
      <Typography
        component="figcaption"
        variant="caption"
        color="textSecondary"
      >
        Pages per primary shift; off-hours pages (outside working hours in{' '}
        {timeZone}) on top.
      </Typography>
    </Box>
  );
}

function LoadSummary(props: { load: OnCallLoad }) {
  const { load } = props;
  const totals = loadTotals(load);
  const busiest = load.people[0];
  const parts = [
    `${plural(totals.pages, 'page')} (${
      totals.offHours
    } off-hours) over ${plural(
      totals.shifts,
      'primary shift',
    )} in the last ${windowDays(load)} days`,
  ];
  if (busiest && busiest.pages > 0) {
    parts.push(
      `busiest: ${personName(busiest.person)}, ${formatShare(
        load.busiestShare,
      )} of pages`,
    );
  }
  if (load.mtta !== undefined) parts.push(`MTTA ${formatSeconds(load.mtta)}`);
  if (load.mttr !== undefined) parts.push(`MTTR ${formatSeconds(load.mttr)}`);
  return (
    <Typography variant="body2" aria-label="Load summary" gutterBottom>
      {parts.join(' · ')}
    </Typography>
  );
}

function LoadBody(props: { load: OnCallLoad }) {
  const { load } = props;
  if (load.pages.length === 0) {
    return (
      <Typography variant="body2">
        No pages in the last {windowDays(load)} days.
      </Typography>
    );
  }
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
      <LoadSummary load={load} />
      <PagesPerShiftChart
        bars={shiftBars(load.shifts)}
        timeZone={load.timeZone}
      />
      <Table<OnCallLoadPerson>
        title="Per person"
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={peopleColumns(load.pages.length)}
        data={load.people}
      />
    </Box>
  );
}

/**
 * How hard the pager hits the people on call for this entity: pages per
 * primary shift over the last weeks (off-hours ones stacked on top), pages
 * per person, the busiest person's share, and MTTA/MTTR when the sources
 * report them.
 * @public
 */
export function OnCallLoadCard(props: { entityRef: string }) {
  const { entityRef } = props;
  const api = useApi(operabilityApiRef);
  const { value, loading, error } = useAsync(
    () => api.getOnCallLoad(entityRef),
    [api, entityRef],
  );

  let body;
  if (loading) body = <Progress />;
  else if (error && isNotFound(error)) {
    body = (
      <Typography variant="body2">
        No on-call schedule or provider covers this entity, so there is no pager
        load to show.
      </Typography>
    );
  } else if (error) body = <ResponseErrorPanel error={error} />;
  else if (value) body = <LoadBody load={value} />;

  return <InfoCard title="On-call load">{body}</InfoCard>;
}
