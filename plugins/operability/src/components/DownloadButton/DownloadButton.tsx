import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useState } from 'react';
import type { DownloadedFile } from '../../api';
import { describeError } from '../shared/errors';
import { saveFile } from '../shared/download';

/**
 * A button that fetches a file from the backend with the user's credentials
 * and saves it: the CSV and iCalendar exports.
 */
export function DownloadButton(props: {
  label: string;
  /** Accessible name, when the label alone is ambiguous on the page. */
  ariaLabel?: string;
  fetchFile: () => Promise<DownloadedFile>;
}) {
  const { label, ariaLabel, fetchFile } = props;
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);

  const download = async () => {
    setBusy(true);
    try {
      saveFile(await fetchFile());
    } catch (e) {
      alertApi.post({
        message: `Could not download: ${describeError(e)}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button
      size="small"
      variant="outlined"
      onClick={download}
      disabled={busy}
      aria-label={ariaLabel ?? label}
      startIcon={busy ? <CircularProgress size={14} /> : <GetAppIcon />}
    >
      {label}
    </Button>
  );
}
