import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { CheckStatus } from '@opsready/plugin-operability-common';

const statusIcons: Record<
  CheckStatus,
  (props: { children?: React.ReactNode }) => JSX.Element
> = {
  pass: StatusOK,
  fail: StatusError,
  unknown: StatusWarning,
  exempt: StatusPending,
  'not-applicable': StatusAborted,
};

/** A check's status as a coloured status icon followed by its name. */
export function CheckStatusLabel(props: { status: CheckStatus }) {
  const Icon = statusIcons[props.status];
  // One line: "unknown" and "not-applicable" must not break inside the word.
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <Icon>{props.status}</Icon>
    </span>
  );
}
