import { readdirSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { parseAllDocuments } from 'yaml';
import type { Entity } from '@backstage/catalog-model';

/** The repository's examples/ folder. */
export const EXAMPLES_DIR = resolve(__dirname, '../../../../examples');

/**
 * The demo catalog's Components, each with the `backstage.io/managed-by-location`
 * annotation the catalog would stamp (`file:/abs/path/components/x.yaml`).
 */
export function loadDemoEntities(): Entity[] {
  const dir = join(EXAMPLES_DIR, 'components');
  const entities: Entity[] = [];
  for (const file of readdirSync(dir)
    .filter(f => f.endsWith('.yaml'))
    .sort()) {
    const path = join(dir, file);
    for (const doc of parseAllDocuments(readFileSync(path, 'utf8')) as any[]) {
      const entity = doc.toJS() as Entity | null;
      if (!entity || entity.kind !== 'Component') continue;
      entity.metadata.namespace = entity.metadata.namespace ?? 'default';
      entity.metadata.annotations = {
        ...entity.metadata.annotations,
        'backstage.io/managed-by-location': `file:${path}`,
      };
      entities.push(entity);
    }
  }
  return entities;
}

/** A Component with the given annotations, managed by a file location. */
export function component(
  name: string,
  annotations: Record<string, string>,
  location = '/tmp/catalog/catalog-info.yaml',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${location}`,
        ...annotations,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/x',
    },
  };
}
