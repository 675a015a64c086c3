import type { Entity } from '@backstage/catalog-model';
import type { TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import {
  isLevel,
  LABELS,
  Level,
  levelRank,
  STAMPED_ANNOTATIONS,
} from '@opsready/plugin-operability-common';
import { LevelChip } from '../LevelChip';

/** The level the catalog module stamped on the entity, if any. */
export function stampedLevel(entity: Entity): Level | undefined {
  const level = entity.metadata.labels?.[LABELS.level];
  return isLevel(level) ? level : undefined;
}

/** The score the catalog module stamped on the entity, if any. */
export function stampedScore(entity: Entity): number | undefined {
  const text = entity.metadata.annotations?.[STAMPED_ANNOTATIONS.score];
  if (text === undefined || text.trim() === '') return undefined;
  const score = Number(text);
  return Number.isFinite(score) ? score : undefined;
}

/** Not evaluated sorts below none, then by level, then by score. */
function compareStamps(a: Entity, b: Entity): number {
  const rank = (e: Entity) => {
    const level = stampedLevel(e);
    return level ? levelRank(level) : -1;
  };
  return rank(a) - rank(b) || (stampedScore(a) ?? -1) - (stampedScore(b) ?? -1);
}

/**
 * A column for the catalog table (or any table of `{ entity }` rows) showing
 * the readiness level and score that the operability catalog module stamps
 * on entities: label `operability.io/level`, annotation `operability.io/score`.
 *
 * @example
 * ```tsx
 * <CatalogIndexPage columns={ctx => [...CatalogTable.defaultColumnsFunc(ctx), operabilityLevelColumn()]} />
 * ```
 * @public
 */
export function operabilityLevelColumn<
  Row extends { entity: Entity } = { entity: Entity },
>(options: { title?: string } = {}): TableColumn<Row> {
  return {
    title: options.title ?? 'Operability',
    field: 'operabilityLevel',
    customSort: (a, b) => compareStamps(a.entity, b.entity),
    customFilterAndSearch: (term, row) =>
      (stampedLevel(row.entity) ?? '').includes(String(term).toLowerCase()),
    render: row => {
      const level = stampedLevel(row.entity);
      if (!level) return <LevelChip level={null} />;
      const score = stampedScore(row.entity);
      return (
        <Typography variant="body2" component="span" noWrap>
          <LevelChip level={level} />
          {score !== undefined && <> {score}/100</>}
        </Typography>
      );
    },
  };
}
