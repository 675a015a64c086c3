import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityRef,
  OnCall,
  StaleMark,
} from '@opsready/plugin-operability-common';
import { entityRefOf } from '@opsready/plugin-operability-common';
import type {
  OnCallProvider,
  OnCallProviderAnswer,
  OnCallRotation,
} from '@opsready/plugin-operability-node';
import { createHash } from 'crypto';
import type {
  OnCallLastGood,
  OnCallLastGoodStore,
} from '../database/OperabilityStore';
import type { CatalogSnapshot } from '../ownership/CatalogSnapshot';
import { linkPeople } from '../ownership/orgIndex';

/** An `at` within this distance of the clock asks for "now". */
const NOW_TOLERANCE_MS = 60_000;

/**
 * A last good value confirmed again is written again at most this often
 * (a changed one at once), so that a busy page does not write on every
 * request: after a restart, `stale.since` may be this much too early.
 */
const PERSIST_INTERVAL_MS = 60_000;

/** At most one warning per provider this often: a page per request is enough noise. */
const WARN_INTERVAL_MS = 60_000;

/** A rotation, and whether it is the last good one kept because the provider failed. */
export interface RotationAnswer {
  rotation: OnCallRotation;
  stale?: StaleMark;
}

export interface OnCallServiceOptions {
  /** The providers in order of precedence (see `orderOnCallProviders`). */
  providers: OnCallProvider[];
  /** Where the last good answers and rotations are kept across restarts. */
  store: OnCallLastGoodStore;
  /** Ties the people of outside sources to catalog users (by email). */
  snapshot: Pick<CatalogSnapshot, 'get'>;
  logger: LoggerService;
  /** How long a route waits for the providers (`operability.onCall.requestBudget`). */
  requestBudgetMs: number;
  clock?: () => Date;
}

interface LastGood<T> {
  value: T;
  /** When it was last known good (ms). */
  goodAt: number;
  /** Hash of the value without its time, to tell a change from a confirmation. */
  hash: string;
  /** `goodAt` as last written to the store (ms), or -Infinity. */
  persistedAt: number;
}

type Settled<T> = { value: T } | undefined;

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

/** `1.5 s`, `60 s`: a wait as people read it. */
export function formatWait(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** Waits for `promise` at most `ms`; undefined when it did not settle in time. */
function within<T>(promise: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>(resolve => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
  });
  return Promise.race([promise.then(value => ({ value })), deadline]).finally(
    () => clearTimeout(timer),
  );
}

const keyOf = (provider: string, ref: EntityRef) => `${provider}\u0000${ref}`;

/**
 * Who is on call for a batch of entities at an instant: the one place that
 * asks the on-call providers, for the readiness cycle and the routes alike.
 *
 * - **Precedence**: each entity is answered by the first provider (in the
 *   order given) that covers it; entities no provider covers get `null`.
 * - **Batches**: one call per provider per batch, the providers in parallel;
 *   concurrent batches with the same provider, instant and entities share
 *   one call.
 * - **One failure contract**: when a provider throws, does not answer in
 *   time, or answers `status: 'unknown'` for an entity, the entity gets the
 *   last good answer of that provider, marked `stale: { since, reason }`;
 *   only without one is it `status: 'unknown'` with the reason. Last good
 *   answers (and rotations) are stored, so they survive a restart. Only
 *   answers for "now" are kept and used as last good: an instant in the past
 *   or future gets no last "now" answer.
 * - **Budget**: a call not answered within the wait (the request budget for
 *   routes, the provider timeout for the cycle) is answered from the last
 *   good answers; the call goes on in the background, and its answers become
 *   the last good ones when it completes.
 *
 * There is no cache of fresh answers here: providers that talk to a remote
 * source cache as suits it (PagerDuty per escalation policy), and schedules
 * are computed in memory.
 */
export class OnCallService {
  private readonly lastAnswers = new Map<string, LastGood<OnCall>>();
  private readonly lastRotations = new Map<string, LastGood<OnCallRotation>>();
  private loading?: Promise<void>;
  private readonly inFlight = new Map<
    string,
    Promise<Map<EntityRef, OnCall>>
  >();
  private readonly warnedAt = new Map<string, number>();

  constructor(private readonly options: OnCallServiceOptions) {}

  /** The provider ids in order of precedence. */
  get providerIds(): string[] {
    return this.options.providers.map(p => p.id);
  }

  private now(): number {
    return (this.options.clock?.() ?? new Date()).getTime();
  }

  /**
   * On-call at `at` for every given entity, keyed by entity ref: `null` for
   * the entities no provider covers. Never throws for a provider's failure.
   *
   * `waitMs`: how long to wait for the providers before answering from the
   * last good answers; default the request budget.
   */
  async getOnCall(request: {
    entities: Entity[];
    at: Date;
    waitMs?: number;
  }): Promise<Map<EntityRef, OnCall | null>> {
    await this.load();
    const { at } = request;
    const waitMs = request.waitMs ?? this.options.requestBudgetMs;
    const isNow = Math.abs(at.getTime() - this.now()) <= NOW_TOLERANCE_MS;
    const result = new Map<EntityRef, OnCall | null>();
    const lanes = await this.partition(request.entities, result);
    await Promise.all(
      [...lanes].map(async ([provider, entities]) => {
        const refs = entities.map(entityRefOf);
        const key = [
          provider.id,
          isNow ? 'now' : at.toISOString(),
          ...[...refs].sort(),
        ].join('\n');
        let call = this.inFlight.get(key);
        if (!call) {
          call = this.callOnCall(provider, entities, refs, at, isNow).finally(
            () => this.inFlight.delete(key),
          );
          this.inFlight.set(key, call);
        }
        const settled = await within(call, waitMs);
        const reason = `${provider.id} did not answer within ${formatWait(
          waitMs,
        )}`;
        if (!settled) this.warn(provider.id, reason);
        for (const ref of refs) {
          if (settled) {
            result.set(ref, settled.value.get(ref) ?? null);
          } else {
            result.set(ref, this.fallback(provider.id, ref, reason, isNow));
          }
        }
      }),
    );
    return result;
  }

  /**
   * The rotation behind each entity's on-call (people and turn), from the
   * provider that answers its on-call, for the readiness facts. Entities
   * whose rotation that provider does not know are left out; when the
   * provider fails, the last good rotation is kept, marked stale.
   */
  async getRotations(request: {
    entities: Entity[];
    /** The instant the rotations are looked at from (the cycle's); now by default. */
    at?: Date;
    waitMs?: number;
  }): Promise<Map<EntityRef, RotationAnswer>> {
    await this.load();
    const waitMs = request.waitMs ?? this.options.requestBudgetMs;
    const result = new Map<EntityRef, RotationAnswer>();
    const lanes = await this.partition(request.entities, new Map());
    await Promise.all(
      [...lanes].map(async ([provider, entities]) => {
        if (!provider.getRotations) return;
        const refs = entities.map(entityRefOf);
        let reason: string;
        try {
          const settled = await within(
            provider.getRotations({
              entities,
              ...(request.at ? { at: request.at } : {}),
            }),
            waitMs,
          );
          if (settled) {
            const now = this.now();
            const save: OnCallLastGood['rotations'] = [];
            for (const ref of refs) {
              const rotation = settled.value.get(ref);
              if (!rotation) continue;
              result.set(ref, { rotation });
              if (
                this.remember(
                  this.lastRotations,
                  provider.id,
                  ref,
                  rotation,
                  now,
                )
              ) {
                save.push({
                  entityRef: ref,
                  provider: provider.id,
                  rotation,
                  goodAt: new Date(now),
                });
              }
            }
            await this.persist({ answers: [], rotations: save });
            return;
          }
          reason = `${provider.id} did not answer within ${formatWait(waitMs)}`;
        } catch (error) {
          reason = `${provider.id} could not read rotations: ${messageOf(
            error,
          )}`;
        }
        this.warn(provider.id, reason);
        for (const ref of refs) {
          const last = this.lastRotations.get(keyOf(provider.id, ref));
          if (last) {
            result.set(ref, {
              rotation: last.value,
              stale: { since: new Date(last.goodAt).toISOString(), reason },
            });
          }
        }
      }),
    );
    return result;
  }

  /** Which provider answers which entities; the uncovered ones get null in `uncovered`. */
  private async partition(
    entities: Entity[],
    uncovered: Map<EntityRef, OnCall | null>,
  ): Promise<Map<OnCallProvider, Entity[]>> {
    // Providers that read the catalog (schedules) decide coverage on the
    // snapshot: have one loaded before asking them.
    await this.options.snapshot.get();
    const lanes = new Map<OnCallProvider, Entity[]>();
    for (const entity of entities) {
      const provider = this.options.providers.find(p => {
        try {
          return p.covers(entity);
        } catch (error) {
          this.warn(
            p.id,
            `${p.id} failed to tell coverage: ${messageOf(error)}`,
          );
          return false;
        }
      });
      if (!provider) {
        uncovered.set(entityRefOf(entity), null);
        continue;
      }
      const list = lanes.get(provider) ?? [];
      list.push(entity);
      lanes.set(provider, list);
    }
    return lanes;
  }

  /**
   * One provider call for a batch, with everything done on its answers
   * (people tied to catalog users, last good kept and stored). Never rejects.
   */
  private async callOnCall(
    provider: OnCallProvider,
    entities: Entity[],
    refs: EntityRef[],
    at: Date,
    isNow: boolean,
  ): Promise<Map<EntityRef, OnCall>> {
    const out = new Map<EntityRef, OnCall>();
    let answers: Map<EntityRef, OnCallProviderAnswer>;
    try {
      answers = await provider.getOnCall({ entities, at });
    } catch (error) {
      const reason = `${provider.id} failed: ${messageOf(error)}`;
      this.warn(provider.id, reason);
      for (const ref of refs) {
        out.set(ref, this.fallback(provider.id, ref, reason, isNow));
      }
      return out;
    }
    try {
      const { org } = await this.options.snapshot.get();
      const now = this.now();
      const save: OnCallLastGood['answers'] = [];
      const failed: string[] = [];
      for (const ref of refs) {
        const answer = answers.get(ref);
        if (!answer) continue; // covered, yet not answered: nobody to name
        if (answer.status === 'unknown') {
          const reason = answer.reason ?? `${provider.id} could not say`;
          failed.push(reason);
          out.set(
            ref,
            this.fallback(provider.id, ref, reason, isNow, {
              ...answer,
              source: provider.id,
            }),
          );
          continue;
        }
        const { stale: _stale, ...fresh } = linkPeople(answer, org);
        const good: OnCall = { ...fresh, source: provider.id };
        out.set(ref, good);
        if (!isNow) continue;
        const asOf = Date.parse(good.asOf);
        const goodAt = Number.isFinite(asOf) ? Math.min(asOf, now) : now;
        if (this.remember(this.lastAnswers, provider.id, ref, good, goodAt)) {
          save.push({
            entityRef: ref,
            provider: provider.id,
            answer: good,
            goodAt: new Date(goodAt),
          });
        }
      }
      if (failed.length > 0) {
        this.warn(
          provider.id,
          `${provider.id} could not answer for ${failed.length} of ${
            refs.length
          } entities: ${[...new Set(failed)].slice(0, 3).join('; ')}`,
        );
      }
      await this.persist({ answers: save, rotations: [] });
    } catch (error) {
      // Not expected; the answers so far stand.
      this.options.logger.warn(
        `On-call answers of ${provider.id} could not be processed: ${messageOf(
          error,
        )}`,
      );
    }
    return out;
  }

  /**
   * The answer for an entity whose provider failed: its last good answer,
   * marked stale, or unknown with the reason.
   */
  private fallback(
    provider: string,
    ref: EntityRef,
    reason: string,
    isNow: boolean,
    unknown?: OnCallProviderAnswer,
  ): OnCall {
    const last = isNow ? this.lastAnswers.get(keyOf(provider, ref)) : undefined;
    if (last) {
      return {
        ...last.value,
        // Answers stored before shadows were answered have none.
        shadows: last.value.shadows ?? [],
        stale: { since: new Date(last.goodAt).toISOString(), reason },
      };
    }
    if (unknown) return { ...unknown, shadows: unknown.shadows ?? [] };
    return {
      source: provider,
      primary: null,
      secondary: null,
      shadows: [],
      until: null,
      status: 'unknown',
      reason,
      asOf: new Date(this.now()).toISOString(),
    };
  }

  /** Keeps a good value in memory; true when it should be written to the store. */
  private remember<T extends object>(
    map: Map<string, LastGood<T>>,
    provider: string,
    ref: EntityRef,
    value: T,
    goodAt: number,
  ): boolean {
    const key = keyOf(provider, ref);
    const hash = hashOf({ ...value, asOf: undefined });
    const previous = map.get(key);
    if (previous && previous.goodAt > goodAt) return false; // an older answer
    const write =
      !previous ||
      previous.hash !== hash ||
      goodAt - previous.persistedAt >= PERSIST_INTERVAL_MS;
    map.set(key, {
      value,
      goodAt,
      hash,
      persistedAt: write ? goodAt : previous!.persistedAt,
    });
    return write;
  }

  private async persist(rows: OnCallLastGood): Promise<void> {
    if (rows.answers.length === 0 && rows.rotations.length === 0) return;
    try {
      await this.options.store.saveOnCallLastGood(rows);
    } catch (error) {
      this.options.logger.warn(
        `Could not store the last good on-call answers: ${messageOf(error)}`,
      );
    }
  }

  /** Reads the stored last good answers once. */
  private load(): Promise<void> {
    this.loading ??= this.options.store
      .loadOnCallLastGood()
      .then(({ answers, rotations }) => {
        for (const a of answers) {
          this.seed(
            this.lastAnswers,
            a.provider,
            a.entityRef,
            a.answer,
            a.goodAt,
          );
        }
        for (const r of rotations) {
          this.seed(
            this.lastRotations,
            r.provider,
            r.entityRef,
            r.rotation,
            r.goodAt,
          );
        }
      })
      .catch(error => {
        this.options.logger.warn(
          `Could not read the last good on-call answers: ${messageOf(error)}`,
        );
      });
    return this.loading;
  }

  private seed<T extends object>(
    map: Map<string, LastGood<T>>,
    provider: string,
    ref: EntityRef,
    value: T,
    goodAt: Date,
  ) {
    const key = keyOf(provider, ref);
    if (map.has(key)) return; // a newer answer arrived while loading
    const ms = goodAt.getTime();
    map.set(key, {
      value,
      goodAt: ms,
      hash: hashOf({ ...value, asOf: undefined }),
      persistedAt: ms,
    });
  }

  private warn(provider: string, message: string) {
    const now = this.now();
    const last = this.warnedAt.get(provider);
    if (last !== undefined && now - last < WARN_INTERVAL_MS) return;
    this.warnedAt.set(provider, now);
    this.options.logger.warn(`On-call: ${message}`);
  }
}
