import { cycleTimeout } from './cycleTimeout';

describe('cycleTimeout', () => {
  const fiveMinutes = { minutes: 5 };

  it('keeps the configured timeout before any cycle was measured', () => {
    expect(cycleTimeout([], fiveMinutes)).toEqual(fiveMinutes);
  });

  it('is three times the slowest recent cycle', () => {
    expect(cycleTimeout([12_000, 20_000, 15_000], fiveMinutes)).toEqual({
      milliseconds: 60_000,
    });
  });

  it('is at least 30 seconds', () => {
    expect(cycleTimeout([40, 2_000], fiveMinutes)).toEqual({
      milliseconds: 30_000,
    });
  });

  it('never exceeds the configured timeout', () => {
    expect(cycleTimeout([200_000], fiveMinutes)).toEqual(fiveMinutes);
  });
});
