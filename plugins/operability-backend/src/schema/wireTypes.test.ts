import type { internal } from '@backstage/backend-openapi-utils';
import type {
  CampaignDetail,
  CampaignServiceItem,
  CampaignSummary,
  CatalogStamp,
  CheckDescription,
  CheckResult,
  EntityCampaign,
  EntityReport,
  Exemption,
  HandoffReport,
  HistoryPoint,
  OnCall,
  OnCallLoad,
  OnCallShifts,
  Ownership,
  Person,
  Readiness,
  ScorecardRow,
  StaleMark,
  TeamRollup,
  WhoOwnsResult,
} from '@opsready/plugin-operability-common';
import { spec } from './openapi';

type Schemas = typeof spec.components.schemas;

/** The TypeScript type a component schema of the spec describes. */
type Described<Name extends keyof Schemas> = internal.ToTypeSafe<
  internal.SchemaRef<typeof spec, Schemas[Name]>
>;

/** `true` when the two types have the same keys and each fits the other. */
type Same<A, B> = [keyof A] extends [keyof B]
  ? [keyof B] extends [keyof A]
    ? [A] extends [B]
      ? [B] extends [A]
        ? true
        : 'the wire type does not fit the spec'
      : 'the spec does not fit the wire type'
    : 'the wire type has keys the spec lacks'
  : 'the spec has keys the wire type lacks';

// Compile-time: `yarn tsc` fails here when a wire type of
// @opsready/plugin-operability-common and its schema in the spec drift apart
// (a field added to one and not the other, or typed differently).
const agreement: Record<string, true> = {
  Person: true as Same<Described<'Person'>, Person>,
  Ownership: true as Same<Described<'Ownership'>, Ownership>,
  StaleMark: true as Same<Described<'StaleMark'>, StaleMark>,
  OnCall: true as Same<Described<'OnCall'>, OnCall>,
  CheckResult: true as Same<Described<'CheckResult'>, CheckResult>,
  Readiness: true as Same<Described<'Readiness'>, Readiness>,
  EntityCampaign: true as Same<Described<'EntityCampaign'>, EntityCampaign>,
  EntityReport: true as Same<Described<'EntityReport'>, EntityReport>,
  ScorecardRow: true as Same<Described<'ScorecardRow'>, ScorecardRow>,
  WhoOwnsResult: true as Same<Described<'WhoOwnsResult'>, WhoOwnsResult>,
  TeamRollup: true as Same<Described<'TeamRollup'>, TeamRollup>,
  CheckDescription: true as Same<
    Described<'CheckDescription'>,
    CheckDescription
  >,
  CatalogStamp: true as Same<Described<'CatalogStamp'>, CatalogStamp>,
  OnCallShifts: true as Same<Described<'OnCallShifts'>, OnCallShifts>,
  OnCallLoad: true as Same<Described<'OnCallLoad'>, OnCallLoad>,
  HandoffReport: true as Same<Described<'HandoffReport'>, HandoffReport>,
  HistoryPoint: true as Same<Described<'HistoryPoint'>, HistoryPoint>,
  Exemption: true as Same<Described<'Exemption'>, Exemption>,
  CampaignSummary: true as Same<Described<'CampaignSummary'>, CampaignSummary>,
  CampaignDetail: true as Same<Described<'CampaignDetail'>, CampaignDetail>,
  CampaignServiceItem: true as Same<
    Described<'CampaignServiceItem'>,
    CampaignServiceItem
  >,
};

describe('the spec and the wire types', () => {
  it('agree (checked by the compiler: this file does not compile otherwise)', () => {
    expect(Object.keys(agreement).sort()).toEqual(
      Object.keys(spec.components.schemas)
        .filter(name => name !== 'Error')
        .sort(),
    );
  });
});
