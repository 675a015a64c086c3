import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import type { Level } from '@opsready/plugin-operability-common';

const useStyles = makeStyles(theme => ({
  gold: { backgroundColor: '#d4af37', color: '#000' },
  silver: { backgroundColor: '#c0c0c0', color: '#000' },
  bronze: { backgroundColor: '#cd7f32', color: '#000' },
  none: {
    backgroundColor: theme.palette.grey[300],
    color: theme.palette.common.black,
  },
}));

/**
 * A readiness level as a coloured chip; `null` means not evaluated yet.
 * An optional count is appended ("gold · 3").
 */
export function LevelChip(props: {
  level: Level | null | undefined;
  count?: number;
  size?: 'small' | 'medium';
}) {
  const { level, count, size = 'small' } = props;
  const classes = useStyles();
  const text = level ?? 'not evaluated';
  const label = count === undefined ? text : `${text} · ${count}`;
  if (!level) {
    return <Chip size={size} variant="outlined" label={label} />;
  }
  return <Chip size={size} label={label} className={classes[level]} />;
}
