import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import useAsync from 'react-use/esm/useAsync';
import { HistoryPoint, operabilityApiRef } from '../../api';
import { formatLocalDate, formatLocalDateTime } from '../shared/time';

interface ChartPoint extends HistoryPoint {
  /** Epoch milliseconds, for a time axis. */
  at: number;
}

export function toChartPoints(history: readonly HistoryPoint[]): ChartPoint[] {
  return history
    .map(point => ({ ...point, at: new Date(point.time).getTime() }))
    .sort((a, b) => a.at - b.at);
}

function ScoreChart(props: { points: ChartPoint[] }) {
  const { points } = props;
  const theme = useTheme();
  const first = points[0];
  const last = points[points.length - 1];
  return (
    <Box component="figure" m={0} aria-label="Score over time">
      <ResponsiveContainer width="100%" height={240}>
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
            tickFormatter={at => formatLocalDate(Number(at))}
          />
          <YAxis domain={[0, 100]} allowDecimals={false} />
          <Tooltip
            labelFormatter={at => formatLocalDateTime(new Date(Number(at)))}
            formatter={(score, _name, item) => [
              `${score} (${(item.payload as ChartPoint).level})`,
              'Score (level)',
            ]}
          />
          <Line
            type="stepAfter"
            dataKey="score"
            stroke={theme.palette.primary.main}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
      <Typography
        component="figcaption"
        variant="caption"
        color="textSecondary"
      >
        From {first.score} ({first.level}) on {formatLocalDate(first.at)} to{' '}
        {last.score} ({last.level}) on {formatLocalDate(last.at)}
      </Typography>
    </Box>
  );
}

/** The entity's score over time; the level of each point is in its tooltip. */
export function ScoreHistoryCard(props: { entityRef: string }) {
  const { entityRef } = props;
  const api = useApi(operabilityApiRef);
  const { value, loading, error } = useAsync(
    () => api.getHistory(entityRef),
    [api, entityRef],
  );

  let body;
  if (loading) body = <Progress />;
  else if (error) body = <ResponseErrorPanel error={error} />;
  else if (!value || value.length < 2) {
    body = (
      <Typography variant="body2">
        Not enough history yet: the chart needs two evaluations and there{' '}
        {value?.length === 1 ? 'is one' : 'are none'}. It fills in as the
        operability backend re-evaluates this service.
      </Typography>
    );
  } else body = <ScoreChart points={toChartPoints(value)} />;

  return <InfoCard title="Score history">{body}</InfoCard>;
}
