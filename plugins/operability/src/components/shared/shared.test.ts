import { describeError, isNotFound, statusCodeOf } from './errors';
import { countByLevel, LEVELS_BEST_FIRST } from './levels';
import { responseError } from '../__testUtils__/testing';
import { formatAge } from './time';

describe('errors', () => {
  it('reads the status and the backend message of a ResponseError', async () => {
    const error = await responseError(403, 'You may not add exemptions');
    expect(statusCodeOf(error)).toBe(403);
    expect(isNotFound(error)).toBe(false);
    expect(describeError(error)).toBe(
      'Not permitted: You may not add exemptions',
    );
  });

  it('falls back to the message of a plain error', () => {
    expect(describeError(new Error('boom'))).toBe('boom');
    expect(statusCodeOf(new Error('boom'))).toBeUndefined();
    expect(isNotFound({ statusCode: 404 })).toBe(true);
  });
});

describe('levels', () => {
  it('lists levels best first and counts them', () => {
    expect(LEVELS_BEST_FIRST).toEqual(['gold', 'silver', 'bronze', 'none']);
    expect(
      countByLevel(['gold', 'gold', null, 'none'] as const, l => l),
    ).toEqual({ gold: 2, silver: 0, bronze: 0, none: 1, notEvaluated: 1 });
  });
});

describe('formatAge', () => {
  const now = new Date('2026-03-02T12:00:00Z');
  it('uses the largest whole unit', () => {
    expect(formatAge('2026-03-02T11:59:30Z', now)).toBe(
      'less than a minute ago',
    );
    expect(formatAge('2026-03-02T11:59:00Z', now)).toBe('1 minute ago');
    expect(formatAge('2026-03-02T09:30:00Z', now)).toBe('2 hours ago');
    expect(formatAge('2026-02-27T12:00:00Z', now)).toBe('3 days ago');
  });
});
