import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import GroupIcon from '@material-ui/icons/Group';
import { shortRefName, useMyTeams } from '../shared/useMyTeams';

/**
 * "My teams": one chip per team of the signed-in user; a click shows that
 * team's services (the owner filter), a second click clears it. Nothing when
 * the user belongs to no team.
 */
export function MyTeamsFilter(props: {
  /** The owner filter in force. */
  owner: string | undefined;
  /** Titles of teams, by ref, when known (from the team roll-up). */
  titles?: ReadonlyMap<string, string>;
  onChange: (owner: string | undefined) => void;
}) {
  const { owner, titles, onChange } = props;
  const { teams } = useMyTeams();
  if (teams.length === 0) return null;
  const selected = owner?.toLocaleLowerCase('en-US');
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 8 }}
      role="group"
      aria-label="My teams"
    >
      <Typography variant="body2" color="textSecondary">
        My teams:
      </Typography>
      {teams.map(team => {
        const isSelected = selected === team;
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
