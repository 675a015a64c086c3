import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { operabilityApiRef, Shift } from '../../api';
import { isNotFound } from '../shared/errors';
import { formatLocalDateTime } from '../shared/time';

const SHIFTS_SHOWN = 6;

const shiftColumns: TableColumn<Shift>[] = [
  { title: 'Role', field: 'role' },
  {
    title: 'Person',
    field: 'person.ref',
    render: shift => (
      <EntityRefLink entityRef={shift.person.ref} title={shift.person.title} />
    ),
  },
  {
    title: 'From – to (your time)',
    field: 'start',
    render: shift =>
      `${formatLocalDateTime(shift.start)} – ${formatLocalDateTime(shift.end)}`,
  },
  {
    title: '',
    field: 'override',
    render: shift => {
      if (shift.role === 'shadow') {
        return <Chip size="small" variant="outlined" label="not paged" />;
      }
      return shift.override ? (
        <Chip size="small" variant="outlined" label="override" />
      ) : null;
    },
  },
];

/**
 * The next shifts of the schedule that covers the entity: the primary's, the
 * secondary's, then the shadows learning the rotation in those weeks.
 */
export function RotationCard(props: { entityRef: string }) {
  const { entityRef } = props;
  const api = useApi(operabilityApiRef);
  const { value, loading, error } = useAsync(
    () => api.getShifts(entityRef, { count: SHIFTS_SHOWN }),
    [api, entityRef],
  );

  let body;
  if (loading) body = <Progress />;
  else if (error && isNotFound(error)) {
    body = (
      <Typography variant="body2">
        No on-call schedule in the catalog covers this entity, so there is no
        rotation to show. Point <code>operability.io/on-call-schedule</code> at
        a Schedule (here, on its System or on its team).
      </Typography>
    );
  } else if (error) body = <ResponseErrorPanel error={error} />;
  else if (!value?.shifts.length) {
    body = (
      <Typography variant="body2">
        The schedule has no shifts ahead: it starts later or has no members.
      </Typography>
    );
  } else {
    body = (
      <>
        <Typography variant="body2" color="textSecondary" gutterBottom>
          From <EntityRefLink entityRef={value.scheduleRef} />
          {value.shifts.some(s => s.role === 'shadow') && (
            <>
              . A shadow is learning the rotation: told about pages, not paged.
            </>
          )}
        </Typography>
        <Table<Shift>
          options={{
            paging: false,
            search: false,
            toolbar: false,
            sorting: false,
            padding: 'dense',
          }}
          columns={shiftColumns}
          data={value.shifts}
        />
      </>
    );
  }

  return <InfoCard title="Next weeks of the rotation">{body}</InfoCard>;
}
