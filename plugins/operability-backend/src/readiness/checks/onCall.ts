import { ON_CALL_FACTS } from '../builtinFacts';
import type { CheckUnit } from '../types';
import { factEvidence } from '../evaluator/format';
import {
  badValue,
  boolFact,
  fail,
  isFiniteNumber,
  isStringArray,
  pass,
  plural,
} from './judges';
import { SERVICES, defineCheck, factCheck } from './unit';
import { PAGE_LOAD_FACT, PAGE_LOAD_MAX_PER_12H } from '../../pages/facts';

/** Rotation size bounds and limits from DESIGN's rubric. */
const ROTATION_MIN = 6;
const ROTATION_MAX = 8;
const MAX_TURN_HOURS = 168;
const MIN_OWNERS_SHARE = 0.8;

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** Who carries the pager: a rotation, two people on it now, of a humane size and turn. */
export const ON_CALL_CHECKS: readonly CheckUnit[] = [
  defineCheck({
    id: 'on-call.schedule',
    title: 'On-call schedule',
    level: 'bronze',
    filter: SERVICES,
    description:
      "If you're not on call for your code, who is? A service in production needs a rotation that somebody answers at 3 a.m.; being on call closes the loop between writing code and running it.",
    remediation:
      "Add the annotation `operability.io/on-call-schedule: schedule:default/payments-on-call` (a Schedule entity), or `pagerduty.com/service-id: PXXXXXX`; or set one on the component's System or owning Group so it is inherited.",
    ...boolFact(ON_CALL_FACTS.covered, {
      kind: 'on-call',
      pass: 'an on-call schedule or PagerDuty service covers it',
      fail: 'no on-call schedule or PagerDuty service covers it (own, its System’s or its owner’s)',
    }),
  }),
  defineCheck({
    id: 'on-call.primary-and-secondary',
    title: 'Primary and secondary on call',
    level: 'silver',
    filter: SERVICES,
    description:
      'A page that nobody acknowledges must escalate to someone. A secondary backs up the primary and, with one-week turns, is next week’s primary getting ready.',
    remediation:
      'In the Schedule entity, set `spec.secondary: next-in-rotation` (or `{ members: [...] }`) and make sure `spec.primary` has members and `spec.handoff.start` is in the past; in PagerDuty, add a second escalation level.',
    ...boolFact(ON_CALL_FACTS.primaryAndSecondary, {
      kind: 'on-call',
      pass: 'a primary and a secondary are on call now',
      fail: 'right now there is not both a primary and a secondary on call',
    }),
  }),
  defineCheck({
    id: 'on-call.rotation-size',
    title: 'Rotation of 6–8 engineers',
    level: 'gold',
    filter: SERVICES,
    description:
      'A good schedule has 6–8 engineers: fewer and people are on call so often that they burn out; more and each is on call so rarely that they lose practice with the system.',
    remediation:
      'Put 6 to 8 engineers in the Schedule’s `spec.primary` (and `spec.secondary.members` if separate); merge small rotations of related services, or split a large team’s rotation by System.',
    ...factCheck(ON_CALL_FACTS.rotationSize, record => {
      const n = record.value;
      if (!isFiniteNumber(n) || n < 0) {
        return badValue(ON_CALL_FACTS.rotationSize, record);
      }
      const evidence = factEvidence(record);
      if (n < ROTATION_MIN) {
        return fail(
          `the rotation has ${n} engineer${plural(
            n,
          )}; fewer than ${ROTATION_MIN} burns people out`,
          evidence,
        );
      }
      if (n > ROTATION_MAX) {
        return fail(
          `the rotation has ${n} engineers; more than ${ROTATION_MAX} and each is on call too rarely to keep in practice`,
          evidence,
        );
      }
      return pass(`the rotation has ${n} engineers`, evidence);
    }),
  }),
  defineCheck({
    id: 'on-call.turn-length',
    title: 'Turns of at most a week',
    level: 'gold',
    filter: SERVICES,
    description:
      'A typical template is one-week turns: secondary one week, primary the next. Longer turns wear people down and stretch the time before a fresh pair of eyes looks at recurring pages.',
    remediation:
      'Set the Schedule’s `spec.handoff.turn` to `P1W` or shorter (e.g. `P1W`, `P3D`); in PagerDuty, use a weekly or shorter layer.',
    ...factCheck(ON_CALL_FACTS.turnHours, record => {
      const hours = record.value;
      if (!isFiniteNumber(hours) || hours <= 0) {
        return badValue(ON_CALL_FACTS.turnHours, record);
      }
      const evidence = factEvidence(record);
      const text =
        hours % 24 === 0
          ? `${hours / 24} day${hours === 24 ? '' : 's'}`
          : `${hours} hours`;
      return hours <= MAX_TURN_HOURS
        ? pass(`turns last ${text}`, evidence)
        : fail(`turns last ${text}, longer than one week`, evidence);
    }),
  }),
  defineCheck({
    id: 'on-call.owners-on-call',
    title: 'Owners are on call',
    level: 'gold',
    filter: SERVICES,
    description:
      "Engineers should be on call for their code: if you're not on call for your code, who is? When most of the rotation comes from outside the owning team, the people paged are not the ones who can fix it or prevent the next page.",
    remediation:
      'Make at least 80% of the rotation (`spec.primary`, `spec.secondary`) members of the owning team or its sub-teams, or move ownership (`spec.owner`) to the team that is actually on call.',
    ...factCheck(ON_CALL_FACTS.ownersShare, record => {
      const share = record.value;
      if (!isFiniteNumber(share) || share < 0 || share > 1) {
        return badValue(ON_CALL_FACTS.ownersShare, record);
      }
      const evidence = factEvidence(record);
      return share >= MIN_OWNERS_SHARE
        ? pass(
            `${percent(share)} of the rotation belongs to the owning team`,
            evidence,
          )
        : fail(
            `only ${percent(
              share,
            )} of the rotation belongs to the owning team (at least ${percent(
              MIN_OWNERS_SHARE,
            )} needed)`,
            evidence,
          );
    }),
  }),
  defineCheck({
    id: 'on-call.ladder',
    title: 'Secondary before primary',
    level: 'gold',
    filter: SERVICES,
    description:
      'Secondary one week, then primary the next: nobody should carry the pager alone before they have backed someone up, or shadowed, on that rotation. Whoever goes straight to primary learns the system and its alerts in the middle of an incident. Judged on the Schedule: everyone whose first primary turn falls after the schedule’s start — up to now and in the next 4 weeks, so a planned override is caught before it happens — must have been secondary or a shadow on it before. Unknown when on-call comes from PagerDuty, whose API keeps no history of who was secondary.',
    remediation:
      'Before someone’s first primary turn, give them a turn as secondary (`spec.secondary: next-in-rotation` does this for the members of `spec.primary`) or a shadow window in the Schedule: `spec.shadows: [{ user: user:default/frank, start: 2026-03-02T09:00, end: 2026-03-09T09:00 }]`. For an override, pick someone who has been secondary on this rotation, or let the newcomer shadow first.',
    facts: [ON_CALL_FACTS.ladder, ON_CALL_FACTS.source],
    factPolicy: 'any',
    evaluate({ facts }) {
      const record = facts.get(ON_CALL_FACTS.ladder);
      if (!record) {
        // Only who answers on-call is known: say why the ladder is not.
        const source = facts.get(ON_CALL_FACTS.source)?.value;
        return {
          status: 'unknown',
          message:
            typeof source === 'string' && source !== 'schedule'
              ? `on-call comes from ${source}, which keeps no history of who was secondary or shadow: the ladder is judged on Schedules in the catalog`
              : 'no valid Schedule in the catalog covers it, so who climbed the ladder is not known',
          evidence: [],
        };
      }
      const skipped = record.value;
      if (!isStringArray(skipped)) {
        return badValue(ON_CALL_FACTS.ladder, record);
      }
      const evidence = factEvidence(record);
      if (skipped.length === 0) {
        return pass(
          'everyone whose first primary turn came after the start was secondary or shadow on the rotation first',
          evidence,
        );
      }
      const n = skipped.length;
      return fail(
        `${n} ${
          n === 1 ? 'person went' : 'people went'
        } straight to primary without a secondary or shadow turn first: ${skipped
          .slice(0, 3)
          .join(', ')}${n > 3 ? ` and ${n - 3} more` : ''}`,
        evidence,
      );
    },
  }),
  defineCheck({
    id: 'on-call.page-load',
    title: 'At most 2 pages per 12-hour shift',
    level: 'gold',
    filter: SERVICES,
    description:
      'Google SRE bounds a sustainable on-call load at two incidents per 12-hour shift: with more, there is no time to handle each properly, follow up and fix the cause, and people burn out. Passes when no primary shift in the last 28 days averaged more than 2 pages per 12 hours on call.',
    remediation:
      'Look at the busiest shift on the On-call load card: silence or fix alerts that page without needing a human, raise thresholds or add `for:` to flapping alerts, route non-urgent alerts to tickets instead of the pager, and fix the causes of recurring pages.',
    ...factCheck(PAGE_LOAD_FACT, record => {
      const rate = record.value;
      if (!isFiniteNumber(rate) || rate < 0) {
        return badValue(PAGE_LOAD_FACT, record);
      }
      const evidence = factEvidence(record);
      return rate <= PAGE_LOAD_MAX_PER_12H
        ? pass(
            `no primary shift averaged more than ${PAGE_LOAD_MAX_PER_12H} pages per 12 hours on call (the busiest: ${rate})`,
            evidence,
          )
        : fail(
            `a primary shift averaged ${rate} pages per 12 hours on call, more than ${PAGE_LOAD_MAX_PER_12H}`,
            evidence,
          );
    }),
  }),
];
