import type { Config } from '@backstage/config';
import {
  ALL_TRANSITIONS,
  type NotificationTransitions,
} from './notificationFor';

/** `operability.notifications`, as read. */
export interface NotificationsSettings {
  /**
   * `enabled`: true or false when set; undefined when not, and then
   * notifications are on when the notifications backend runs in the same
   * backend.
   */
  enabled?: boolean;
  on: NotificationTransitions;
}

const KEY = 'operability.notifications';

const TRANSITIONS = Object.keys(ALL_TRANSITIONS) as Array<
  keyof NotificationTransitions
>;

function isTransition(value: string): value is keyof NotificationTransitions {
  return (TRANSITIONS as string[]).includes(value);
}

/** Reads `operability.notifications`; a bad value stops start-up naming its path. */
export function readNotificationsConfig(config: Config): NotificationsSettings {
  let enabled: boolean | undefined;
  let on: string[] | undefined;
  try {
    enabled = config.getOptionalBoolean(`${KEY}.enabled`);
  } catch (error) {
    throw new Error(
      `Invalid config at '${KEY}.enabled': ${(error as Error).message}`,
    );
  }
  try {
    on = config.getOptionalStringArray(`${KEY}.on`);
  } catch (error) {
    throw new Error(
      `Invalid config at '${KEY}.on': ${(error as Error).message}`,
    );
  }
  if (on === undefined) return { enabled, on: ALL_TRANSITIONS };
  const unknown = on.filter(t => !isTransition(t));
  if (unknown.length > 0) {
    throw new Error(
      `Invalid config at '${KEY}.on': unknown transition${
        unknown.length > 1 ? 's' : ''
      } ${unknown.map(t => `'${t}'`).join(', ')}; use ${TRANSITIONS.map(
        t => `'${t}'`,
      ).join(', ')}`,
    );
  }
  return {
    enabled,
    on: {
      levelDrop: on.includes('levelDrop'),
      checkRegression: on.includes('checkRegression'),
      recovery: on.includes('recovery'),
    },
  };
}
