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
import Button from '@material-ui/core/Button';
import Link from '@material-ui/core/Link';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import type {
  Ownership,
  WhoOwnsResult,
} from '@opsready/plugin-operability-common';
import { FormEvent, useEffect, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { operabilityApiRef } from '../../api';
import { OnCallCell } from '../OnCallCell';
import {
  describeWhoOwnsQuery,
  parseWhoOwnsQuery,
  WhoOwnsQuery,
} from './parseWhoOwnsQuery';

function OwnerCell(props: { owner: Ownership }) {
  const { owner } = props;
  if (!owner.ref) {
    return (
      <Typography variant="body2" color="error">
        no team{owner.declared ? ` (${owner.declared} is not a team)` : ''}
      </Typography>
    );
  }
  return <EntityRefLink entityRef={owner.ref} title={owner.title} />;
}

function ContactsCell(props: { owner: Ownership }) {
  const { email, slack } = props.owner.contacts;
  if (!email && !slack) return <>none</>;
  return (
    <>
      {email && (
        <Link href={`mailto:${email}`} display="block">
          {email}
        </Link>
      )}
      {slack && <Typography variant="body2">{slack}</Typography>}
    </>
  );
}

const resultColumns: TableColumn<WhoOwnsResult>[] = [
  {
    title: 'Service',
    field: 'entityRef',
    render: r => <EntityRefLink entityRef={r.entityRef} title={r.title} />,
  },
  {
    title: 'Owner team',
    field: 'owner.ref',
    render: r => <OwnerCell owner={r.owner} />,
  },
  {
    title: 'Contacts',
    sorting: false,
    render: r => <ContactsCell owner={r.owner} />,
  },
  {
    title: 'On call now',
    sorting: false,
    render: r => <OnCallCell onCall={r.onCall} />,
  },
];

function WhoOwnsResults(props: {
  query: WhoOwnsQuery;
  items: WhoOwnsResult[];
  total: number;
}) {
  const { query, items, total } = props;
  if (items.length === 0) {
    return (
      <Typography variant="body2">
        No service matches. Try the service's name or its repository URL, or the
        alert's labels such as <code>job=payments</code>; a service is found by
        its labels when it carries the <code>prometheus.io/job</code> or{' '}
        <code>prometheus.io/alert</code> annotation.
      </Typography>
    );
  }
  return (
    <Table<WhoOwnsResult>
      title={describeWhoOwnsQuery(query)}
      subtitle={
        total > items.length
          ? `The first ${items.length} of ${total} services`
          : undefined
      }
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={resultColumns}
      data={items}
    />
  );
}

/**
 * One field answering "who owns this?" for a service name, a repository, or
 * the labels of an alert (`job=payments, severity=critical`): each matching
 * service with its team, the team's contacts and who is on call now.
 * An `initialQuery` fills the field and runs at once.
 * @public
 */
export function WhoOwnsSearch(props: { initialQuery?: string }) {
  const api = useApi(operabilityApiRef);
  const [text, setText] = useState(props.initialQuery ?? '');
  const [submitted, setSubmitted] = useState<WhoOwnsQuery>();
  const [state, search] = useAsyncFn(
    (query: WhoOwnsQuery) => api.whoOwns(query),
    [api],
  );
  const parsed = parseWhoOwnsQuery(text);

  const run = (query: WhoOwnsQuery | undefined) => {
    if (!query) return;
    setSubmitted(query);
    search(query);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    run(parsed);
  };

  // A preset query (e.g. from a link to a page holding this search) runs at once.
  useEffect(() => {
    if (props.initialQuery === undefined) return;
    setText(props.initialQuery);
    run(parseWhoOwnsQuery(props.initialQuery));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.initialQuery]);

  return (
    <InfoCard title="Who owns this?">
      <Box
        component="form"
        onSubmit={submit}
        display="flex"
        alignItems="flex-start"
        style={{ gap: 8 }}
        role="search"
      >
        <TextField
          id="who-owns-query"
          fullWidth
          variant="outlined"
          size="small"
          label="Service, repository or alert labels"
          value={text}
          onChange={e => setText(e.target.value)}
          helperText={describeWhoOwnsQuery(parsed)}
        />
        <Button
          type="submit"
          variant="contained"
          color="primary"
          disabled={!parsed}
        >
          Search
        </Button>
      </Box>
      {state.loading && <Progress />}
      {!state.loading && state.error && (
        <ResponseErrorPanel error={state.error} />
      )}
      {!state.loading && !state.error && state.value && submitted && (
        <Box mt={2}>
          <WhoOwnsResults
            query={submitted}
            items={state.value.items}
            total={state.value.total}
          />
        </Box>
      )}
    </InfoCard>
  );
}
