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

  async getRotations(request: {
    entities: Entity[];
  }): Promise<Map<EntityRef, OnCallRotation>> {
    const snapshot = await this.options.snapshot.get();
    const { scheduleOnCall } = this.options;
    const rotations = new Map<EntityRef, OnCallRotation>();
    for (const entity of request.entities) {
      const rotation = scheduleOnCall.rotationOf(entity, snapshot);
      const schedule = scheduleOnCall.scheduleOf(entity, snapshot);
      if (!rotation || !schedule) continue;
      rotations.set(entityRefOf(entity), {
        members: rotation.members.map(ref => personOf(snapshot.org, ref)),
        turn: rotation.turn,
        source: `schedule:${schedule.scheduleRef}`,
      });
    }
    return rotations;
  }
}
