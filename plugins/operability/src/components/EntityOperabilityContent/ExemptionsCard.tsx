import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import {
  type CheckResult,
  operabilityExemptionCreatePermission,
  operabilityExemptionDeletePermission,
} from '@opsready/plugin-operability-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Exemption, NewExemption, operabilityApiRef } from '../../api';
import { describeError } from '../shared/errors';
import { formatLocalDate } from '../shared/time';
import { AddExemptionDialog, exemptableChecks } from './AddExemptionDialog';

function Author(props: { author: string }) {
  return props.author.startsWith('user:') ? (
    <EntityRefLink entityRef={props.author} />
  ) : (
    <>{props.author}</>
  );
}

function ExemptionItem(props: {
  exemption: Exemption;
  checkTitle: string;
  removing: boolean;
  /** Absent when the user may not remove it: no button then. */
  onRemove?: () => void;
}) {
  const { exemption, checkTitle, removing, onRemove } = props;
  return (
    <ListItem divider>
      <ListItemText
        primary={checkTitle}
        secondary={
          <>
            {exemption.reason} — by <Author author={exemption.author} />,
            expires {formatLocalDate(exemption.expiresAt)}
          </>
        }
      />
      {onRemove && (
        <ListItemSecondaryAction>
          <Button
            size="small"
            onClick={onRemove}
            disabled={removing}
            aria-label={`Remove the exemption of ${checkTitle}`}
          >
            Remove
          </Button>
        </ListItemSecondaryAction>
      )}
    </ListItem>
  );
}

/**
 * The entity's exemptions with add and remove. **Add exemption** and
 * **Remove** show only once the permission API allows
 * `operability.exemption.create` / `.delete` on this entity (not while it is
 * still answering). The backend checks again; a refusal (403) is shown as it
 * comes.
 */
export function ExemptionsCard(props: {
  entityRef: string;
  checks: CheckResult[];
  onChanged?: () => void;
}) {
  const { entityRef, checks, onChanged } = props;
  const api = useApi(operabilityApiRef);
  const alertApi = useApi(alertApiRef);
  // `allowed` is false while loading and on error, so neither button flickers.
  const { allowed: canAdd } = usePermission({
    permission: operabilityExemptionCreatePermission,
    resourceRef: entityRef,
  });
  const { allowed: canRemove } = usePermission({
    permission: operabilityExemptionDeletePermission,
    resourceRef: entityRef,
  });
  const [dialogOpen, setDialogOpen] = useState(false);
  const [removingId, setRemovingId] = useState<string>();
  const exemptions = useAsyncRetry(
    () => api.listExemptions(entityRef),
    [api, entityRef],
  );
  const checkTitles = new Map(checks.map(c => [c.id, c.title]));

  const afterChange = () => {
    exemptions.retry();
    onChanged?.();
  };

  const add = async (draft: NewExemption) => {
    try {
      await api.addExemption(entityRef, draft);
    } catch (e) {
      throw new Error(describeError(e));
    }
    setDialogOpen(false);
    alertApi.post({
      message: `Exempted ${checkTitles.get(draft.checkId) ?? draft.checkId}`,
      severity: 'success',
      display: 'transient',
    });
    afterChange();
  };

  const remove = async (exemption: Exemption) => {
    setRemovingId(exemption.id);
    try {
      await api.deleteExemption(entityRef, exemption.id);
      alertApi.post({
        message: 'Exemption removed',
        severity: 'success',
        display: 'transient',
      });
      afterChange();
    } catch (e) {
      alertApi.post({
        message: `Could not remove the exemption. ${describeError(e)}`,
        severity: 'error',
      });
    } finally {
      setRemovingId(undefined);
    }
  };

  let body;
  if (exemptions.loading && !exemptions.value) body = <Progress />;
  else if (exemptions.error) {
    body = <ResponseErrorPanel error={exemptions.error} />;
  } else if (!exemptions.value?.length) {
    body = (
      <Typography variant="body2">
        {canAdd
          ? 'No check is exempt. When a check does not fit this service, add an exemption with a reason; it stops counting on its expiry date.'
          : 'No check is exempt.'}
      </Typography>
    );
  } else {
    body = (
      <List dense disablePadding>
        {exemptions.value.map(exemption => (
          <ExemptionItem
            key={exemption.id}
            exemption={exemption}
            checkTitle={checkTitles.get(exemption.checkId) ?? exemption.checkId}
            removing={removingId === exemption.id}
            onRemove={canRemove ? () => remove(exemption) : undefined}
          />
        ))}
      </List>
    );
  }

  return (
    <InfoCard
      title="Exemptions"
      action={
        canAdd && (
          <Button color="primary" onClick={() => setDialogOpen(true)}>
            Add exemption
          </Button>
        )
      }
    >
      {body}
      {canAdd && (
        <AddExemptionDialog
          open={dialogOpen}
          checks={exemptableChecks(checks)}
          onClose={() => setDialogOpen(false)}
          onSubmit={add}
        />
      )}
    </InfoCard>
  );
}
