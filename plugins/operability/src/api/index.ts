export { operabilityApiRef } from './OperabilityApi';
export type {
  DownloadedFile,
  OperabilityApi,
  RefreshResult,
} from './OperabilityApi';
// The wire types live in -common; re-exported for the components and for
// apps that imported them from this package.
export type {
  Exemption,
  HistoryPoint,
  NewExemption,
  OnCallLoad,
  OnCallLoadPerson,
  OnCallLoadShift,
  OnCallShifts,
  PagerPage,
  ScorecardsQuery,
  Shift,
} from '@opsready/plugin-operability-common';
export { OperabilityClient } from './OperabilityClient';
