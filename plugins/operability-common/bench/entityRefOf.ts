/* eslint-disable no-console */
/**
 * Micro-bench of the entity-ref key: the readiness cycle computes it for every
 * entity of the catalog (100,000 in the sizing), so `entityRefOf` must cost
 * no more than the hand-written templates it replaced.
 *
 *   cd /work/main
 *   scripts/toolchain node --require @backstage/cli/config/nodeTransform.cjs \
 *     plugins/operability-common/bench/entityRefOf.ts
 *
 * Environment: BENCH_ENTITIES (default 100000), BENCH_ROUNDS (default 9; the
 * first two warm up and are not counted). Prints the median and the fastest
 * round per variant, in ms for all entities.
 */
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { entityRefOf } from '../src/entityRef';

const N = Number(process.env.BENCH_ENTITIES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);

const entities: Entity[] = Array.from({ length: N }, (_, i) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: i % 5 ? 'Component' : 'API',
  metadata: {
    name: `Payments-Service-${i}`,
    ...(i % 3 ? { namespace: i % 2 ? 'default' : 'Team-A' } : {}),
  },
}));

const variants: Record<string, (e: Entity) => string> = {
  entityRefOf,
  'stringifyEntityRef().toLowerCase()': e =>
    stringifyEntityRef(e).toLowerCase(),
  'template .toLowerCase()': e =>
    `${e.kind}:${e.metadata.namespace ?? 'default'}/${
      e.metadata.name
    }`.toLowerCase(),
  "template .toLocaleLowerCase('en-US')": e =>
    `${e.kind}:${e.metadata.namespace ?? 'default'}/${
      e.metadata.name
    }`.toLocaleLowerCase('en-US'),
};

for (const e of entities) {
  const keys = new Set(Object.values(variants).map(f => f(e)));
  if (keys.size !== 1) throw new Error(`variants disagree: ${[...keys]}`);
}

const times = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, key] of Object.entries(variants)) {
    let length = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i++) length += key(entities[i]).length;
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (length === 0) throw new Error('nothing computed');
    if (round >= 2) times.set(name, [...(times.get(name) ?? []), ms]);
  }
}

console.log(`${N} entities, node ${process.version}`);
for (const [name, list] of times) {
  const sorted = [...list].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `${name.padEnd(40)} median ${median.toFixed(
      1,
    )} ms, fastest ${sorted[0].toFixed(1)} ms`,
  );
}
