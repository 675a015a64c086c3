import { CATALOG_FACTS } from '../builtinFacts';
import type { BuiltinEvaluator, CheckUnit } from '../types';
import { factEvidence } from '../evaluator/format';
import {
  badValue,
  declaredOwner,
  fail,
  get,
  isFiniteNumber,
  isNonEmptyString,
  pass,
  plural,
} from './judges';
import { OWNED, defineCheck, factCheck } from './unit';

const NO_TEAM = 'no team owns it';

/** A `spec.<field>` string fact: set passes, null or empty fails. */
function specField(
  fact: string,
  field: string,
  kind: string,
): Pick<BuiltinEvaluator, 'facts' | 'evaluate'> {
  return factCheck(fact, record => {
    if (record.value === null || record.value === '') {
      return fail(`spec.${field} is not set`);
    }
    if (!isNonEmptyString(record.value)) return badValue(fact, record);
    return pass(`spec.${field} is ${record.value}`, [
      { kind, text: record.value, source: `spec.${field}` },
    ]);
  });
}

/** Who answers for it: an owner, a team, people in it, a way to reach them. */
export const OWNERSHIP_CHECKS: readonly CheckUnit[] = [
  defineCheck({
    id: 'ownership.owner-set',
    title: 'Owner is set',
    level: 'bronze',
    filter: OWNED,
    description:
      'Code in production is the only code that matters, and someone has to answer for it. Without an owner, nobody is paged, nobody fixes it, and nobody decides when it is retired.',
    remediation:
      'Set `spec.owner` in catalog-info.yaml to the team that operates it, e.g. `owner: group:default/payments`.',
    ...factCheck(CATALOG_FACTS.ownerSet, (record, { entity }) => {
      if (typeof record.value !== 'boolean') {
        return badValue(CATALOG_FACTS.ownerSet, record);
      }
      if (!record.value) return fail('spec.owner is not set');
      const owner = declaredOwner(entity);
      return pass(
        owner ? `spec.owner is ${owner}` : 'spec.owner is set',
        owner ? [{ kind: 'owner', text: owner, source: 'spec.owner' }] : [],
      );
    }),
  }),
  defineCheck({
    id: 'ownership.owner-is-team',
    title: 'Owner is a team',
    level: 'bronze',
    filter: OWNED,
    description:
      'A person goes on holiday, changes teams or leaves; a team stays. Ownership by a Group keeps the service operated when one person is away, and lets on-call, contacts and scorecards roll up to the team.',
    remediation:
      "Set `spec.owner` to a Group that exists in the catalog (e.g. `group:default/payments`), not a User. If the owner is a dangling ref, fix its spelling or add the Group's entity.",
    facts: [CATALOG_FACTS.ownerResolvedFrom, CATALOG_FACTS.ownerTeam],
    evaluate({ entity, facts }) {
      const from = get(facts, CATALOG_FACTS.ownerResolvedFrom);
      const teamRecord = get(facts, CATALOG_FACTS.ownerTeam);
      const team = isNonEmptyString(teamRecord.value)
        ? teamRecord.value
        : undefined;
      const owner = declaredOwner(entity) ?? 'the declared owner';
      switch (from.value) {
        case 'group':
          return pass(`owned by team ${team ?? owner}`, [
            { kind: 'team', text: team ?? owner, source: 'spec.owner' },
          ]);
        case 'user':
          return fail(
            team
              ? `a person (${owner}) owns it, not a team; their team is ${team}`
              : `a person (${owner}) owns it, not a team; they belong to no team`,
            [
              { kind: 'owner', text: owner, source: 'spec.owner' },
              ...(team ? [{ kind: 'team', text: team }] : []),
            ],
          );
        case 'dangling':
          return fail(`owner ${owner} does not exist in the catalog`, [
            { kind: 'owner', text: owner, source: 'spec.owner' },
          ]);
        case 'none':
        case null:
          return fail('spec.owner is not set, so no team owns it');
        default:
          return badValue(CATALOG_FACTS.ownerResolvedFrom, from);
      }
    },
  }),
  defineCheck({
    id: 'ownership.team-has-members',
    title: 'Team has members',
    level: 'silver',
    filter: OWNED,
    description:
      'Engineers operate their own code. A team with no members in the catalog cannot be on call, cannot be contacted and will not notice when the service breaks.',
    remediation:
      "Add the team's engineers: give each User entity `spec.memberOf: [payments]` or list them in the Group's `spec.members`, and make sure your org provider (LDAP, GitHub, Microsoft Graph) ingests them.",
    facts: [CATALOG_FACTS.teamMembers, CATALOG_FACTS.ownerTeam],
    evaluate({ facts }) {
      const record = get(facts, CATALOG_FACTS.teamMembers);
      const team = get(facts, CATALOG_FACTS.ownerTeam).value;
      if (!isNonEmptyString(team)) {
        return fail(`${NO_TEAM}, so nobody operates it`);
      }
      const count = record.value === null ? 0 : record.value;
      if (!isFiniteNumber(count)) {
        return badValue(CATALOG_FACTS.teamMembers, record);
      }
      if (count >= 1) {
        return pass(
          `team ${team} has ${count} member${plural(count)}`,
          factEvidence(record),
        );
      }
      return fail(`team ${team} has no members`, [
        { kind: 'team', text: team },
      ]);
    },
  }),
  defineCheck({
    id: 'ownership.team-contact',
    title: 'Team can be contacted',
    level: 'silver',
    filter: OWNED,
    description:
      "During an incident other teams need to reach the owners fast. A contact on the team's Group entity is the first thing people look for.",
    remediation:
      "Add `spec.profile.email` to the owning Group, or the annotation `operability.io/slack-channel: '#payments'`.",
    facts: [CATALOG_FACTS.teamContact, CATALOG_FACTS.ownerTeam],
    evaluate({ facts }) {
      const record = get(facts, CATALOG_FACTS.teamContact);
      const team = get(facts, CATALOG_FACTS.ownerTeam).value;
      if (!isNonEmptyString(team)) {
        return fail(`${NO_TEAM}, so nobody to contact`);
      }
      if (typeof record.value !== 'boolean') {
        return badValue(CATALOG_FACTS.teamContact, record);
      }
      return record.value
        ? pass(`team ${team} can be reached`, factEvidence(record))
        : fail(
            `team ${team} has neither an email (spec.profile.email) nor a Slack channel (operability.io/slack-channel)`,
            [{ kind: 'team', text: team }],
          );
    },
  }),
  defineCheck({
    id: 'ownership.lifecycle-set',
    title: 'Lifecycle is set',
    level: 'silver',
    filter: { kind: ['Component', 'API'] },
    description:
      'Whether something is in production decides how much operability it needs. The lifecycle tells others whether they can depend on it and tells the team what must be ready before launch.',
    remediation:
      'Set `spec.lifecycle` in catalog-info.yaml, e.g. `lifecycle: production` (or `experimental`, `deprecated`).',
    ...specField(CATALOG_FACTS.lifecycle, 'lifecycle', 'lifecycle'),
  }),
  defineCheck({
    id: 'ownership.in-system',
    title: 'Part of a System',
    level: 'gold',
    filter: { kind: ['Component', 'API', 'Resource'] },
    description:
      'Services fail together with the things they are built with. Grouping them into a System shows the blast radius, lets a component inherit the System’s on-call schedule, and gives the org page a useful roll-up.',
    remediation:
      'Set `spec.system` to the System it belongs to, e.g. `system: payments`, and add that System entity if it does not exist.',
    ...specField(CATALOG_FACTS.system, 'system', 'system'),
  }),
];
