import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  CheckResult,
  NewExemption,
} from '@opsready/plugin-operability-common';
import { FormEvent, useState } from 'react';

/** `YYYY-MM-DD` of a local day, as an `<input type="date">` wants it. */
function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )}`;
}

/** The exemption lapses at the end of the chosen local day. */
export function endOfLocalDay(day: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date, 23, 59, 59);
}

/** The checks worth exempting: failing or unknown, and not exempt already. */
export function exemptableChecks(
  checks: readonly CheckResult[],
): CheckResult[] {
  return checks.filter(
    c => (c.status === 'fail' || c.status === 'unknown') && !c.exemption,
  );
}

/**
 * Asks for a check, a reason and an expiry date. `onSubmit` rejects with a
 * message (e.g. the backend's 403) that the dialog shows and keeps it open.
 */
export function AddExemptionDialog(props: {
  open: boolean;
  checks: CheckResult[];
  onClose: () => void;
  /** What the dialog asks the backend to store. */
  onSubmit: (draft: NewExemption) => Promise<void>;
}) {
  const { open, checks, onClose, onSubmit } = props;
  const [checkId, setCheckId] = useState('');
  const [reason, setReason] = useState('');
  const [expiryDay, setExpiryDay] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string>();

  const tomorrow = new Date();
  tomorrow.setDate(tomorrow.getDate() + 1);
  const expiryInPast =
    expiryDay !== '' && endOfLocalDay(expiryDay).getTime() <= Date.now();
  const complete =
    checkId !== '' && reason.trim() !== '' && expiryDay !== '' && !expiryInPast;

  const reset = () => {
    setCheckId('');
    setReason('');
    setExpiryDay('');
    setFailure(undefined);
  };

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!complete) return;
    setSubmitting(true);
    setFailure(undefined);
    try {
      await onSubmit({
        checkId,
        reason: reason.trim(),
        expiresAt: endOfLocalDay(expiryDay).toISOString(),
      });
      reset();
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
    } finally {
      setSubmitting(false);
    }
  };

  const close = () => {
    reset();
    onClose();
  };

  return (
    <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
      <form onSubmit={handleSubmit} noValidate>
        <DialogTitle>Add exemption</DialogTitle>
        <DialogContent>
          {failure && (
            <Alert severity="error" role="alert">
              {failure}
            </Alert>
          )}
          {checks.length === 0 ? (
            <Typography variant="body2">
              No check fails or is unknown, so there is nothing to exempt.
            </Typography>
          ) : (
            <>
              <TextField
                select
                id="exemption-check"
                fullWidth
                margin="normal"
                label="Check"
                value={checkId}
                onChange={e => setCheckId(e.target.value)}
                required
              >
                {checks.map(check => (
                  <MenuItem key={check.id} value={check.id}>
                    {check.title} ({check.status})
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                id="exemption-reason"
                fullWidth
                multiline
                margin="normal"
                label="Reason"
                helperText="Why this check does not apply here, or when it will be fixed"
                value={reason}
                onChange={e => setReason(e.target.value)}
                required
              />
              <TextField
                id="exemption-expiry"
                fullWidth
                margin="normal"
                type="date"
                label="Expires on"
                InputLabelProps={{ shrink: true }}
                inputProps={{ min: localDay(tomorrow) }}
                value={expiryDay}
                onChange={e => setExpiryDay(e.target.value)}
                error={expiryInPast}
                helperText={
                  expiryInPast
                    ? 'Pick a day in the future'
                    : 'The exemption stops counting after this day'
                }
                required
              />
            </>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={!complete || submitting}
          >
            Add
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
