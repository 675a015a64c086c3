import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  Gauge,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import Typography from '@material-ui/core/Typography';
import {
  type CheckResult,
  entityRefOf,
  type EntityReport,
  type Readiness,
} from '@opsready/plugin-operability-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { operabilityApiRef } from '../../api';
import { LevelChip } from '../LevelChip';
import { OnCallSummary } from '../OnCallSummary';
import { OwnerSummary } from '../OwnerSummary';
import { SourceProblems } from '../SourceProblems';
import { EntityCampaigns } from '../EntityCampaigns';
import { UpcomingChecks } from '../UpcomingChecks';
import { isNotFound } from '../shared/errors';
import { formatAge } from '../shared/time';
import { topFailingChecks } from './topFailingChecks';
import { ReevaluateButton, useReevaluation } from '../ReevaluateButton';
import { Remediation } from '../shared/Remediation';
import { TextWithCode } from '../shared/TextWithCode';

const FAILING_CHECKS_SHOWN = 3;

function NotEvaluated() {
  return (
    <Box>
      <Typography variant="subtitle2">Not evaluated yet</Typography>
      <Typography variant="body2" color="textSecondary">
        The readiness checks have not run for this service. They run on the
        operability backend's schedule; the score appears after the next cycle.
      </Typography>
    </Box>
  );
}

function FailingCheck(props: { check: CheckResult }) {
  const { check } = props;
  return (
    <Box component="li" mb={1}>
      {/* A div: the chip is a div, which a paragraph may not hold. */}
      <Typography variant="body2" component="div">
        <strong>{check.title}</strong> <LevelChip level={check.level} />
      </Typography>
      <Typography variant="body2" color="textSecondary" component="div">
        {check.remediation ? (
          <Remediation text={check.remediation} />
        ) : (
          <TextWithCode text={check.message} />
        )}
      </Typography>
    </Box>
  );
}

function ScoreAndLevel(props: { readiness: Readiness }) {
  const { readiness } = props;
  return (
    <Box display="flex" alignItems="center" style={{ gap: 16 }}>
      {/* Wide enough for "100%" inside the small gauge's ring. */}
      <Box width={104} flexShrink={0}>
        <Gauge value={readiness.score / 100} size="small" />
      </Box>
      <Box>
        <Typography variant="subtitle2">Production readiness</Typography>
        <Typography variant="body1" component="div">
          Score {readiness.score}/100 <LevelChip level={readiness.level} />
        </Typography>
        <Typography variant="caption" color="textSecondary">
          evaluated {formatAge(readiness.evaluatedAt)}
        </Typography>
      </Box>
    </Box>
  );
}

/** The entity's Operability tab, next to the page the card is on. */
function useOperabilityTabPath(): string | undefined {
  const { entity } = useEntity();
  const entityRoute = useRouteRef(entityRouteRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  try {
    // Lower-case kind and namespace, as the catalog's own entity links.
    return `${entityRoute({
      kind: kind.toLocaleLowerCase('en-US'),
      namespace: namespace.toLocaleLowerCase('en-US'),
      name,
    })}/operability`;
  } catch {
    return undefined;
  }
}

function ReadinessSummary(props: { readiness: Readiness | null }) {
  const { readiness } = props;
  const tabPath = useOperabilityTabPath();
  if (!readiness) return <NotEvaluated />;
  const failing = readiness.checks.filter(
    c => c.status === 'fail' && !c.upcoming,
  );
  const shown = topFailingChecks(readiness.checks, FAILING_CHECKS_SHOWN);
  return (
    <Box>
      <ScoreAndLevel readiness={readiness} />
      {readiness.problems?.length ? (
        <Box my={1}>
          <SourceProblems problems={readiness.problems} compact />
        </Box>
      ) : null}
      {shown.length === 0 ? (
        <Box mt={1}>
          <Typography variant="body2">No check fails.</Typography>
        </Box>
      ) : (
        <Box mt={1}>
          <Typography variant="subtitle2">Fix first</Typography>
          <Box
            component="ol"
            pl={2}
            m={0}
            aria-label="Failing checks to fix first"
          >
            {shown.map(check => (
              <FailingCheck key={check.id} check={check} />
            ))}
          </Box>
          {failing.length > shown.length && (
            <Typography variant="caption" color="textSecondary">
              and {failing.length - shown.length} more failing — see the{' '}
              {tabPath ? (
                <Link to={tabPath}>Operability tab</Link>
              ) : (
                'Operability tab'
              )}
              .
            </Typography>
          )}
        </Box>
      )}
      <Box mt={1}>
        <UpcomingChecks checks={readiness.checks} compact />
      </Box>
    </Box>
  );
}

/** The titles of the report's checks, by id. */
function checkTitlesOf(report: EntityReport): Map<string, string> {
  return new Map((report.readiness?.checks ?? []).map(c => [c.id, c.title]));
}

function ReportSummary(props: { report: EntityReport }) {
  const { report } = props;
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
      <OwnerSummary owner={report.owner} />
      <Divider />
      <OnCallSummary onCall={report.onCall} />
      <Divider />
      <ReadinessSummary readiness={report.readiness} />
      {report.campaigns?.length ? (
        <>
          <Divider />
          <EntityCampaigns
            campaigns={report.campaigns}
            checkTitles={checkTitlesOf(report)}
          />
        </>
      ) : null}
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
  const entityRef = entityRefOf(entity);
  const { value, loading, error } = useAsync(
    () => api.getEntityReport(entityRef),
    [api, entityRef],
  );
  // A report newer than the one loaded, once a re-evaluation has produced it.
  const [fresh, setFresh] = useState<EntityReport>();
  const report = fresh?.entityRef === value?.entityRef ? fresh : value;
  const { pending, reevaluate } = useReevaluation({
    entityRef,
    evaluatedAt: report?.readiness?.evaluatedAt,
    onReport: setFresh,
  });

  let body;
  if (loading) body = <Progress />;
  else if (error && isNotFound(error)) body = <NotEvaluated />;
  else if (error) body = <ResponseErrorPanel error={error} />;
  else if (report) body = <ReportSummary report={report} />;

  return (
    <InfoCard
      title="Operability"
      action={
        report || (error && isNotFound(error)) ? (
          <Box mt={1} mr={1}>
            <ReevaluateButton pending={pending} onClick={reevaluate} />
          </Box>
        ) : undefined
      }
    >
      {body}
    </InfoCard>
  );
}
