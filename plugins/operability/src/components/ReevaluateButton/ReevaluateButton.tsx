import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { operabilityRefreshPermission } from '@opsready/plugin-operability-common';

/**
 * "Re-evaluate now", shown only to those allowed `operability.refresh`; and
 * while a new result is awaited (after this button or an exemption change),
 * a pending note in its place.
 */
export function ReevaluateButton(props: {
  pending: boolean;
  onClick: () => void;
}) {
  const { pending, onClick } = props;
  const { allowed } = usePermission({
    permission: operabilityRefreshPermission,
  });
  if (pending) {
    return (
      <Box
        display="inline-flex"
        alignItems="center"
        role="status"
        style={{ gap: 8 }}
      >
        <CircularProgress size={16} />
        <Typography variant="body2" color="textSecondary">
          Re-evaluating… waiting for the new result
        </Typography>
      </Box>
    );
  }
  if (!allowed) return null;
  return (
    <Button size="small" startIcon={<RefreshIcon />} onClick={onClick}>
      Re-evaluate now
    </Button>
  );
}
