import type { EntityRef } from '@opsready/plugin-operability-common';
import type { PageStore } from '../pages/PageStore';
import type { PageRead } from './buildHandoffReport';

/** What the hand-off reports read of the pages: those of some entities in a window. */
export interface PagesReader {
  /**
   * Pages of these entities raised in [from, to); null when no pages are
   * collected here (no page source has collected yet).
   */
  pagesFor(
    entityRefs: EntityRef[],
    from: Date,
    to: Date,
  ): Promise<PageRead[] | null>;
}

/**
 * The pages as the on-call load stores them (`operability_pages`), once a
 * page source has collected successfully; before that, null (unknown, not
 * "no pages").
 */
export function pagesReaderOf(
  store: Pick<PageStore, 'pages' | 'sourceStates'>,
): PagesReader {
  return {
    async pagesFor(entityRefs, from, to) {
      const states = await store.sourceStates();
      if (![...states.values()].some(s => s.lastSuccessAt)) return null;
      if (entityRefs.length === 0) return [];
      const pages = await store.pages(from, to, entityRefs);
      return pages.map(p => ({
        at: p.at,
        title: p.title,
        source: p.source,
        entityRef: p.entityRef,
      }));
    },
  };
}
