import type { Entity } from '@backstage/catalog-model';
import type { EntityRef, OnCall } from '@opsready/plugin-operability-common';
import { entityRefOf } from '@opsready/plugin-operability-common';
import type {
  OnCallProvider,
  OnCallRotation,
} from '@opsready/plugin-operability-node';
import type { CatalogSnapshot } from '../ownership/CatalogSnapshot';
import { personOf } from '../ownership/orgIndex';
import type { ScheduleOnCall } from './ScheduleOnCall';

/** The id of the on-call provider of Schedules kept in the catalog. */
export const SCHEDULE_PROVIDER_ID = 'schedule';

/**
 * On-call from the `Schedule` entities of the catalog, as an on-call provider
 * like any other: it covers the entities whose own, System's or owner Group's
 * `operability.io/on-call-schedule` annotation names a schedule.
 *
 * It reads the plugin's catalog snapshot: `covers` asks the snapshot last
 * loaded (the on-call service loads it before asking), the lookups load it.
 */
export class ScheduleOnCallProvider implements OnCallProvider {
  readonly id = SCHEDULE_PROVIDER_ID;

  constructor(
    private readonly options: {
      scheduleOnCall: ScheduleOnCall;
      snapshot: Pick<CatalogSnapshot, 'get' | 'peek'>;
    },
  ) {}

  covers(entity: Entity): boolean {
    const snapshot = this.options.snapshot.peek();
    return Boolean(
      snapshot && this.options.scheduleOnCall.scheduleOf(entity, snapshot),
    );
  }

  async getOnCall(request: {
    entities: Entity[];
    at: Date;
  }): Promise<Map<EntityRef, OnCall>> {
    const snapshot = await this.options.snapshot.get();
    const answers = new Map<EntityRef, OnCall>();
    for (const entity of request.entities) {
      const answer = this.options.scheduleOnCall.onCall(
        entity,
        snapshot,
        request.at,
      );
      if (answer) answers.set(entityRefOf(entity), answer);
    }
    return answers;
  }

  /**
   * The rotations, with their time zone and who skipped the ladder up to
   * `at` (now by default) and the weeks after it.
   */
  async getRotations(request: {
    entities: Entity[];
    at?: Date;
  }): Promise<Map<EntityRef, OnCallRotation>> {
    const snapshot = await this.options.snapshot.get();
    const { scheduleOnCall } = this.options;
    const at = request.at ?? new Date();
    const rotations = new Map<EntityRef, OnCallRotation>();
    for (const entity of request.entities) {
      const rotation = scheduleOnCall.rotationOf(entity, snapshot);
      const schedule = scheduleOnCall.scheduleOf(entity, snapshot);
      const ladder = scheduleOnCall.ladderOf(entity, snapshot, at);
      if (!rotation || !schedule || !ladder) continue;
      rotations.set(entityRefOf(entity), {
        members: rotation.members.map(ref => personOf(snapshot.org, ref)),
        turn: rotation.turn,
        source: `schedule:${schedule.scheduleRef}`,
        timeZone: ladder.timeZone,
        ladder: ladder.skips.map(skip => ({
          person: personOf(snapshot.org, skip.user),
          firstPrimary: skip.firstPrimary.toISOString(),
          override: skip.override,
        })),
      });
    }
    return rotations;
  }
}
