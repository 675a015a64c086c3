import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import type {
  CheckResult,
  Ownership,
} from '@opsready/plugin-operability-common';
import useAsync from 'react-use/esm/useAsync';
import { operabilityApiRef } from '../../api';
import { OnCallSummary } from '../OnCallSummary';
import { OwnerSummary } from '../OwnerSummary';

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

const checkColumns: TableColumn<CheckResult>[] = [
  { title: 'Category', field: 'category' },
  { title: 'Check', field: 'title' },
  { title: 'Level', field: 'level' },
  { title: 'Status', field: 'status' },
  { title: 'Result', field: 'message' },
  { title: 'How to fix', field: 'remediation' },
];

/**
 * The "Operability" tab: the team, the on-call, every check.
 * @public
 */
export function EntityOperabilityContent() {
  const { entity } = useEntity();
  const api = useApi(operabilityApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(
    () => api.getEntityReport(entityRef),
    [api, entityRef],
  );

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title="Ownership">
          <OwnerSummary owner={value.owner} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="On call">
          <OnCallSummary onCall={value.onCall} />
        </InfoCard>
      </Grid>
      {value.owner.members.length > 0 && (
        <Grid item xs={12}>
          <Table
            title="Team members"
            options={{ paging: false, search: false, padding: 'dense' }}
            columns={memberColumns}
            data={value.owner.members}
          />
        </Grid>
      )}
      <Grid item xs={12}>
        {value.readiness ? (
          <Table
            title={`Checks — score ${value.readiness.score}, level ${value.readiness.level}`}
            options={{ paging: false, padding: 'dense' }}
            columns={checkColumns}
            data={value.readiness.checks}
          />
        ) : (
          <EmptyState
            missing="data"
            title="Not evaluated yet"
            description="Production readiness checks have not run for this entity yet."
          />
        )}
      </Grid>
    </Grid>
  );
}
