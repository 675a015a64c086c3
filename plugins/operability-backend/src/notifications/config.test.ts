import { ConfigReader } from '@backstage/config';
import { readNotificationsConfig } from './config';

const read = (notifications: unknown) =>
  readNotificationsConfig(
    new ConfigReader({ operability: { notifications } } as any),
  );

describe('readNotificationsConfig', () => {
  it('defaults to every transition, enabled left to the installation', () => {
    expect(readNotificationsConfig(new ConfigReader({}))).toEqual({
      enabled: undefined,
      on: { levelDrop: true, checkRegression: true, recovery: true },
    });
  });

  it('reads enabled and the transitions', () => {
    expect(read({ enabled: false, on: ['levelDrop'] })).toEqual({
      enabled: false,
      on: { levelDrop: true, checkRegression: false, recovery: false },
    });
    expect(read({ enabled: true, on: [] }).on).toEqual({
      levelDrop: false,
      checkRegression: false,
      recovery: false,
    });
  });

  it('names the path of a bad value', () => {
    expect(() => read({ enabled: 'sometimes' })).toThrow(
      /^Invalid config at 'operability\.notifications\.enabled': /,
    );
    expect(() => read({ on: 'levelDrop' })).toThrow(
      /^Invalid config at 'operability\.notifications\.on': /,
    );
    expect(() => read({ on: ['levelDrop', 'level-up', 'x'] })).toThrow(
      "Invalid config at 'operability.notifications.on': unknown transitions 'level-up', 'x'; use 'levelDrop', 'checkRegression', 'recovery'",
    );
  });
});
