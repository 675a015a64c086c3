import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  entityRefOf,
  type EntityReport,
  type Ownership,
  type Readiness,
} from '@opsready/plugin-operability-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { operabilityApiRef } from '../../api';
import { LevelChip } from '../LevelChip';
import { OnCallLoadCard } from '../OnCallLoadCard';
import { OnCallSummary } from '../OnCallSummary';
import { OwnerSummary } from '../OwnerSummary';
import { SourceProblems } from '../SourceProblems';
import { EntityCampaigns } from '../EntityCampaigns';
import { UpcomingChecks } from '../UpcomingChecks';
import { ReevaluateButton, useReevaluation } from '../ReevaluateButton';
import { isNotFound } from '../shared/errors';
import { formatLocalDateTime } from '../shared/time';
import { ChecksByCategory } from './ChecksByCategory';
import { CriticalAlertRouteCard } from './CriticalAlertRouteCard';
import { ExemptionsCard } from './ExemptionsCard';
import { RotationCard } from './RotationCard';
import { ScoreHistoryCard } from './ScoreHistoryCard';

type Member = Ownership['members'][number];

const memberColumns: TableColumn<Member>[] = [
  {
    title: 'Name',
    field: 'title',
    render: m => <EntityRefLink entityRef={m.ref} title={m.title} />,
  },
  { title: 'Email', field: 'email' },
  {
    title: 'Membership',
    field: 'direct',
    render: m => (m.direct ? 'team' : 'sub-team'),
  },
];

function NotEvaluated() {
  return (
    <EmptyState
      missing="data"
      title="Not evaluated yet"
      description="Production readiness checks have not run for this entity yet. They run on the operability backend's schedule; come back after the next cycle."
    />
  );
}

/** "Re-evaluate now" and the pending state of a re-evaluation. */
interface Reevaluation {
  pending: boolean;
  reevaluate: () => void;
}

function ReadinessChecks(props: {
  readiness: Readiness | null;
  reevaluation: Reevaluation;
}) {
  const { readiness, reevaluation } = props;
  const button = (
    <ReevaluateButton
      pending={reevaluation.pending}
      onClick={reevaluation.reevaluate}
    />
  );
  if (!readiness) {
    return (
      <>
        <NotEvaluated />
        <Box display="flex" justifyContent="center">
          {button}
        </Box>
      </>
    );
  }
  return (
    <InfoCard
      title="Production readiness"
      action={
        <Box mt={1} mr={1}>
          {button}
        </Box>
      }
      subheader={
        <Typography variant="body2" component="span">
          Score {readiness.score}/100 · level{' '}
          <LevelChip level={readiness.level} /> · evaluated{' '}
          {formatLocalDateTime(readiness.evaluatedAt)}
        </Typography>
      }
    >
      {readiness.problems?.length ? (
        <Box mb={2}>
          <SourceProblems problems={readiness.problems} />
        </Box>
      ) : null}
      <ChecksByCategory checks={readiness.checks} />
      <Box mt={2}>
        <UpcomingChecks checks={readiness.checks} />
      </Box>
    </InfoCard>
  );
}

function ReportSections(props: {
  entityRef: string;
  report: EntityReport;
  onExemptionsChanged: () => void;
  reevaluation: Reevaluation;
}) {
  const { entityRef, report, onExemptionsChanged, reevaluation } = props;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title="Ownership">
          <OwnerSummary owner={report.owner} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="On call">
          <OnCallSummary onCall={report.onCall} />
        </InfoCard>
      </Grid>
      {report.owner.members.length > 0 && (
        <Grid item xs={12}>
          <Table<Member>
            title="Team members"
            options={{ paging: false, search: false, padding: 'dense' }}
            columns={memberColumns}
            data={report.owner.members}
          />
        </Grid>
      )}
      {report.campaigns?.length ? (
        <Grid item xs={12}>
          <InfoCard title="Campaigns">
            <EntityCampaigns
              campaigns={report.campaigns}
              heading={false}
              checkTitles={
                new Map(
                  (report.readiness?.checks ?? []).map(c => [c.id, c.title]),
                )
              }
            />
          </InfoCard>
        </Grid>
      ) : null}
      <Grid item xs={12}>
        <ReadinessChecks
          readiness={report.readiness}
          reevaluation={reevaluation}
        />
      </Grid>
      <Grid item xs={12}>
        <ExemptionsCard
          entityRef={entityRef}
          checks={report.readiness?.checks ?? []}
          onChanged={onExemptionsChanged}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <ScoreHistoryCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12} md={6}>
        <CriticalAlertRouteCard readiness={report.readiness} />
      </Grid>
      <Grid item xs={12}>
        <RotationCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <OnCallLoadCard entityRef={entityRef} />
      </Grid>
    </Grid>
  );
}

/**
 * The "Operability" tab: the team, the on-call, every check by category,
 * exemptions, the score history, the rotation ahead and how critical alerts
 * are routed.
 * @public
 */
export function EntityOperabilityContent() {
  const { entity } = useEntity();
  const api = useApi(operabilityApiRef);
  const entityRef = entityRefOf(entity);
  const report = useAsyncRetry(
    () => api.getEntityReport(entityRef),
    [api, entityRef],
  );

  // A report newer than the one loaded, once a re-evaluation produced it.
  const [fresh, setFresh] = useState<EntityReport>();
  const shown =
    fresh && fresh.entityRef === report.value?.entityRef ? fresh : report.value;
  const { pending, reevaluate, awaitNewResult } = useReevaluation({
    entityRef,
    evaluatedAt: shown?.readiness?.evaluatedAt,
    onReport: setFresh,
  });

  if (report.loading && !report.value) return <Progress />;
  if (report.error && isNotFound(report.error)) return <NotEvaluated />;
  if (report.error) return <ResponseErrorPanel error={report.error} />;
  if (!shown) return null;
  return (
    <ReportSections
      entityRef={entityRef}
      report={shown}
      // Adding or removing an exemption re-evaluates the entity on the
      // backend: pending until the new result is here.
      onExemptionsChanged={awaitNewResult}
      reevaluation={{ pending, reevaluate }}
    />
  );
}
