import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { Ownership } from '@opsready/plugin-operability-common';
import { ContactLinks } from '../ContactLinks';

function missingOwnerReason(owner: Ownership): string {
  switch (owner.resolvedFrom) {
    case 'dangling':
      return `The owner ${owner.declared} does not exist in the catalog.`;
    case 'user':
      return `The owner ${owner.declared} is a person who belongs to no team.`;
    default:
      return 'No owner is set.';
  }
}

/** The owning team, its contacts, and what is wrong with the ownership, if anything. */
export function OwnerSummary(props: { owner: Ownership }) {
  const { owner } = props;
  if (!owner.ref) {
    const why = missingOwnerReason(owner);
    return (
      <Alert severity="warning">
        {why} Set <code>spec.owner</code> to the team that runs this in
        production.
      </Alert>
    );
  }
  const direct = owner.members.filter(m => m.direct).length;
  return (
    <Box>
      <Typography variant="subtitle2">Owned by</Typography>
      <Typography variant="body1">
        <EntityRefLink entityRef={owner.ref} title={owner.title} />
        {owner.parents.length > 0 && (
          <Typography component="span" variant="body2" color="textSecondary">
            {' '}
            in{' '}
            {owner.parents.map((parent, i) => (
              <span key={parent}>
                {i > 0 && ' › '}
                <EntityRefLink entityRef={parent} />
              </span>
            ))}
          </Typography>
        )}
      </Typography>
      <Typography variant="body2" color="textSecondary" component="div">
        {owner.members.length} member{owner.members.length === 1 ? '' : 's'}
        {owner.members.length > direct ? ` (${direct} direct)` : ''} ·{' '}
        <ContactLinks contacts={owner.contacts} />
      </Typography>
      {owner.resolvedFrom === 'user' && (
        <Alert severity="info">
          The declared owner {owner.declared} is a person; shown is their team.
          Make the team the owner.
        </Alert>
      )}
    </Box>
  );
}
