import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import GroupIcon from '@material-ui/icons/Group';
import GroupWorkIcon from '@material-ui/icons/GroupWork';
import { shortRefName, useMyTeams } from '../shared/useMyTeams';

/** The owners of a filter, lower-case and sorted, without duplicates. */
function ownersOf(owner: string | string[] | undefined): string[] {
  return [
    ...new Set([owner ?? []].flat().map(o => o.toLocaleLowerCase('en-US'))),
  ].sort();
}

/**
 * "My teams": a chip for all the teams of the signed-in user at once (the
 * owner filter repeated, `?owner=a&owner=b`), then one chip per team; a
 * click shows those teams' services, a second click clears the filter.
 * Nothing when the user belongs to no team.
 */
export function MyTeamsFilter(props: {
  /** The owner filter in force: one owner, or several. */
  owner: string | string[] | undefined;
  /** Titles of teams, by ref, when known (from the team roll-up). */
  titles?: ReadonlyMap<string, string>;
  onChange: (owner: string | string[] | undefined) => void;
}) {
  const { owner, titles, onChange } = props;
  const { teams } = useMyTeams();
  if (teams.length === 0) return null;
  const selected = ownersOf(owner);
  const allSelected =
    selected.length === teams.length &&
    teams.every((team, i) => selected[i] === team);
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 8 }}
      role="group"
      aria-label="My teams"
    >
      <Chip
        icon={<GroupWorkIcon />}
        label="My teams"
        title={
          teams.length === 1
            ? 'The services of your team'
            : `The services of your ${teams.length} teams`
        }
        color={allSelected ? 'primary' : 'default'}
        variant={allSelected ? 'default' : 'outlined'}
        aria-pressed={allSelected}
        onClick={() =>
          onChange(
            // eslint-disable-next-line no-nested-ternary
            allSelected ? undefined : teams.length === 1 ? teams[0] : teams,
          )
        }
      />
      {teams.map(team => {
        const isSelected = selected.length === 1 && selected[0] === team;
        return (
          <Chip
            key={team}
            icon={<GroupIcon />}
            label={titles?.get(team) ?? shortRefName(team)}
            color={isSelected ? 'primary' : 'default'}
            variant={isSelected ? 'default' : 'outlined'}
            aria-pressed={isSelected}
            onClick={() => onChange(isSelected ? undefined : team)}
          />
        );
      })}
    </Box>
  );
}
