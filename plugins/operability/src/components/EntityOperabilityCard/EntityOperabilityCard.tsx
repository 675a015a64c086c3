import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Divider from '@material-ui/core/Divider';
import Typography from '@material-ui/core/Typography';
import type { Readiness } from '@opsready/plugin-operability-common';
import useAsync from 'react-use/esm/useAsync';
import { operabilityApiRef } from '../../api';
import { OnCallSummary } from '../OnCallSummary';
import { OwnerSummary } from '../OwnerSummary';

function ReadinessSummary(props: { readiness: Readiness | null }) {
  const { readiness } = props;
  if (!readiness) {
    return (
      <Typography variant="body2" color="textSecondary">
        Production readiness has not been evaluated yet.
      </Typography>
    );
  }
  const failing = readiness.checks.filter(c => c.status === 'fail').slice(0, 3);
  return (
    <Box>
      <Typography variant="subtitle2">Production readiness</Typography>
      <Typography variant="h5" component="div">
        {readiness.score}/100 <Chip size="small" label={readiness.level} />
      </Typography>
      {failing.map(check => (
        <Typography key={check.id} variant="body2">
          ✗ {check.title}
          {check.remediation ? ` — ${check.remediation}` : ''}
        </Typography>
      ))}
    </Box>
  );
}

/**
 * Overview card: who owns this, who is on call now, how production-ready it is.
 * @public
 */
export function EntityOperabilityCard() {
  const { entity } = useEntity();
  const api = useApi(operabilityApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(
    () => api.getEntityReport(entityRef),
    [api, entityRef],
  );

  return (
    <InfoCard title="Operability">
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
          <OwnerSummary owner={value.owner} />
          <Divider />
          <OnCallSummary onCall={value.onCall} />
          <Divider />
          <ReadinessSummary readiness={value.readiness} />
        </Box>
      )}
    </InfoCard>
  );
}
