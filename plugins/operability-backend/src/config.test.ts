import { ConfigReader } from '@backstage/config';
import { readOperabilityConfig } from './config';

describe('readOperabilityConfig', () => {
  it('reads the cycle schedule, and defaults without one', () => {
    expect(
      readOperabilityConfig(
        new ConfigReader({
          operability: {
            readiness: {
              schedule: { frequency: { seconds: 30 }, timeout: { minutes: 1 } },
            },
          },
        }),
      ).cycleSchedule,
    ).toMatchObject({ frequency: { seconds: 30 }, timeout: { minutes: 1 } });
    expect(
      readOperabilityConfig(new ConfigReader({})).cycleSchedule,
    ).toMatchObject({ frequency: { minutes: 5 } });
  });

  it('refuses a schedule scope other than global, naming the path', () => {
    const read = (scope: string) =>
      readOperabilityConfig(
        new ConfigReader({
          operability: {
            readiness: {
              schedule: {
                frequency: { seconds: 30 },
                timeout: { minutes: 1 },
                scope,
              },
            },
          },
        }),
      );
    expect(() => read('local')).toThrow(
      "Invalid config at 'operability.readiness.schedule.scope'",
    );
    expect(read('global').cycleSchedule).toMatchObject({ scope: 'global' });
  });

  it('names the path of a bad schedule', () => {
    expect(() =>
      readOperabilityConfig(
        new ConfigReader({
          operability: { readiness: { schedule: { frequency: 'often' } } },
        }),
      ),
    ).toThrow("Invalid config at 'operability.readiness.schedule'");
  });

  it('reads the on-call providers and the request budget, with their defaults', () => {
    const read = (onCall: object) =>
      readOperabilityConfig(new ConfigReader({ operability: { onCall } }));
    expect(read({})).toMatchObject({
      onCallProviders: undefined,
      onCallRequestBudgetMs: 1500,
    });
    expect(
      read({ providers: ['schedule', 'pagerduty'], requestBudget: '3s' }),
    ).toMatchObject({
      onCallProviders: ['schedule', 'pagerduty'],
      onCallRequestBudgetMs: 3000,
    });
    expect(() => read({ providers: ['schedule', 'schedule'] })).toThrow(
      "Invalid config at 'operability.onCall.providers': on-call provider 'schedule' is listed twice",
    );
    expect(() => read({ providers: 'schedule' })).toThrow(
      "Invalid config at 'operability.onCall.providers'",
    );
    expect(() => read({ requestBudget: { seconds: 0 } })).toThrow(
      "Invalid config at 'operability.onCall.requestBudget'",
    );
  });
});
