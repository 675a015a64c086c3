import { isLevel, LEVELS, levelRank } from './levels';

describe('levels', () => {
  it('ranks levels as Tech Insights maturity does', () => {
    expect(LEVELS.map(levelRank)).toEqual([0, 1, 2, 3]);
    expect(levelRank('bronze')).toBe(1);
    expect(levelRank('gold')).toBe(3);
  });

  it('knows a level when it sees one', () => {
    expect(LEVELS.every(isLevel)).toBe(true);
    expect(isLevel('platinum')).toBe(false);
    expect(isLevel('toString')).toBe(false);
    expect(isLevel(undefined)).toBe(false);
  });
});
