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
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { operabilityApiRef, Shift } from '../../api';
import { DownloadButton } from '../DownloadButton';
import { HandoffTime, useScheduleTimeZone } from '../HandoffTime';
import { isNotFound } from '../shared/errors';

const SHIFTS_SHOWN = 6;

/** Weeks of shifts in the iCalendar file (the backend's default). */
const ICS_WEEKS = 8;

function shiftColumns(timeZone: string | undefined): TableColumn<Shift>[] {
  return [
    { title: 'Role', field: 'role' },
    {
      title: 'Person',
      field: 'person.ref',
      render: shift => (
        <EntityRefLink
          entityRef={shift.person.ref}
          title={shift.person.title}
        />
      ),
    },
    {
      title: timeZone ? `From – to (${timeZone})` : 'From – to (your time)',
      field: 'start',
      render: shift => (
        <>
          <HandoffTime instant={shift.start} timeZone={timeZone} /> –{' '}
          <HandoffTime instant={shift.end} timeZone={timeZone} />
        </>
      ),
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
}

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
  const timeZone = useScheduleTimeZone(value?.scheduleRef);
  const columns = useMemo(() => shiftColumns(timeZone), [timeZone]);

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
          {timeZone && <>, hand-offs at local time in {timeZone}</>}
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
          columns={columns}
          data={value.shifts}
        />
      </>
    );
  }

  return (
    <InfoCard
      title="Next weeks of the rotation"
      action={
        value?.shifts.length ? (
          <Box mt={1} mr={1}>
            <DownloadButton
              label="Calendar (.ics)"
              ariaLabel="Download the next shifts as an iCalendar file"
              fetchFile={() =>
                api.downloadShiftsIcs(entityRef, { weeks: ICS_WEEKS })
              }
            />
          </Box>
        ) : undefined
      }
    >
      {body}
    </InfoCard>
  );
}
