import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type {
  CheckResult,
  Readiness,
} from '@opsready/plugin-operability-common';
import { CheckStatusLabel } from './CheckStatusLabel';
import { Remediation } from '../shared/Remediation';

/** The built-in check whose evidence lists the Alertmanager routes of critical alerts. */
export const CRITICAL_ROUTE_CHECK_ID = 'alerting.critical-pages';

function unknownReason(
  readiness: Readiness | null,
  check: CheckResult | undefined,
): string {
  if (!readiness) return 'this entity has not been evaluated yet.';
  if (!check) {
    return `the rubric in force has no ${CRITICAL_ROUTE_CHECK_ID} check for this entity.`;
  }
  if (check.status === 'not-applicable') {
    return `${CRITICAL_ROUTE_CHECK_ID} does not apply to this entity.`;
  }
  return check.message;
}

/** How Alertmanager routes a critical alert of this entity, from the check's route evidence. */
export function CriticalAlertRouteCard(props: { readiness: Readiness | null }) {
  const { readiness } = props;
  const check = readiness?.checks.find(c => c.id === CRITICAL_ROUTE_CHECK_ID);
  const routes = check?.evidence.filter(e => e.kind === 'route') ?? [];

  return (
    <InfoCard title="How a critical alert is routed">
      {check && routes.length > 0 ? (
        <Box>
          <Typography variant="body2" component="div" gutterBottom>
            <CheckStatusLabel status={check.status} /> {check.message}
          </Typography>
          <Box
            component="ul"
            m={0}
            pl={2}
            aria-label="Routes of critical alerts"
          >
            {routes.map((route, index) => (
              <Typography key={index} component="li" variant="body2">
                {route.text}
                {route.source && !route.text.includes(route.source) && (
                  <Typography
                    component="span"
                    variant="caption"
                    color="textSecondary"
                  >
                    {' '}
                    ({route.source})
                  </Typography>
                )}
              </Typography>
            ))}
          </Box>
          {check.status !== 'pass' && check.remediation && (
            <Typography variant="body2" color="textSecondary" component="div">
              <Remediation text={check.remediation} />
            </Typography>
          )}
        </Box>
      ) : (
        <Box>
          <Typography variant="body2">
            Unknown: {unknownReason(readiness, check)}
          </Typography>
          {check?.remediation && (
            <Typography variant="body2" color="textSecondary" component="div">
              <Remediation text={check.remediation} />
            </Typography>
          )}
        </Box>
      )}
    </InfoCard>
  );
}
