import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  type CampaignDetail,
  parseCalendarDate,
} from '@opsready/plugin-operability-common';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatCalendarDate } from '../shared/calendar';

const DAY_MS = 86_400_000;

export interface BurndownChartPoint {
  /** 00:00 UTC of the day, in milliseconds. */
  at: number;
  /** Services still open that day (absent on the ideal line's own points). */
  remaining?: number;
  /** A steady pace from the first recorded day's count to none at the deadline's end. */
  ideal?: number;
}

/**
 * The chart's points (pure): the recorded days with the services still open,
 * and the ideal line, a steady pace from the first recorded day's count to
 * none at the end of the deadline day, valued on every point.
 */
export function burndownChartPoints(
  detail: Pick<CampaignDetail, 'deadline' | 'burndown'>,
): BurndownChartPoint[] {
  const end = parseCalendarDate(detail.deadline)! + DAY_MS;
  const points: BurndownChartPoint[] = detail.burndown.map(p => ({
    at: parseCalendarDate(p.date)!,
    remaining: p.remaining,
  }));
  if (points.length === 0) return [];
  const first = points[0];
  for (const p of points) {
    p.ideal =
      Math.round(((first.remaining! * (end - p.at)) / (end - first.at)) * 10) /
      10;
  }
  points.push({ at: end, ideal: 0 });
  return points;
}

/** Services still open per day since the start, against a steady pace to the deadline. */
export function CampaignBurndownChart(props: {
  detail: Pick<
    CampaignDetail,
    'start' | 'deadline' | 'total' | 'done' | 'burndown' | 'state'
  >;
}) {
  const { detail } = props;
  const theme = useTheme();
  if (detail.burndown.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {detail.state === 'upcoming'
          ? `The burndown starts on ${formatCalendarDate(detail.start)}.`
          : 'No day of this campaign was recorded for you.'}
      </Typography>
    );
  }
  const points = burndownChartPoints(detail);
  const last = detail.burndown[detail.burndown.length - 1];
  return (
    <Box component="figure" m={0} aria-label="Burndown">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart
          data={points}
          margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="at"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={at =>
              new Date(Number(at)).toLocaleDateString(undefined, {
                timeZone: 'UTC',
                day: 'numeric',
                month: 'short',
              })
            }
          />
          <YAxis allowDecimals={false} domain={[0, 'dataMax']} />
          <Tooltip
            labelFormatter={at =>
              formatCalendarDate(
                new Date(Number(at)).toISOString().slice(0, 10),
              )
            }
            formatter={(value, name) => [
              value,
              name === 'remaining' ? 'Still open' : 'Steady pace',
            ]}
          />
          <Line
            type="stepAfter"
            dataKey="remaining"
            stroke={theme.palette.primary.main}
            strokeWidth={2}
            connectNulls
            isAnimationActive={false}
          />
          <Line
            type="linear"
            dataKey="ideal"
            stroke={theme.palette.text.secondary}
            strokeDasharray="4 4"
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
      <Typography
        component="figcaption"
        variant="caption"
        color="textSecondary"
      >
        {last.remaining} of {detail.total} still open on{' '}
        {formatCalendarDate(last.date)}; the dashed line is a steady pace from
        the first day recorded to none open by the end of{' '}
        {formatCalendarDate(detail.deadline)}.
      </Typography>
    </Box>
  );
}
