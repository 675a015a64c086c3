import { ANNOTATIONS, LABELS, STAMPED_ANNOTATIONS } from './annotations';

describe('annotation keys', () => {
  it('keeps what is stamped apart from what is declared', () => {
    const declared = new Set<string>(Object.values(ANNOTATIONS));
    const stamped = [
      ...Object.values(STAMPED_ANNOTATIONS),
      ...Object.values(LABELS),
    ];
    expect(stamped.filter(key => declared.has(key))).toEqual([]);
  });

  it('stamps the resolved schedule under a key of its own', () => {
    expect(STAMPED_ANNOTATIONS.resolvedOnCallSchedule).toBe(
      'operability.io/resolved-on-call-schedule',
    );
    expect(STAMPED_ANNOTATIONS.resolvedOnCallScheduleInheritedFrom).toBe(
      'operability.io/resolved-on-call-schedule-inherited-from',
    );
    expect(STAMPED_ANNOTATIONS.score).toBe('operability.io/score');
    expect(STAMPED_ANNOTATIONS.ownerTeam).toBe('operability.io/owner-team');
  });
});
