import type { Entity } from '@backstage/catalog-model';
import type {
  FactBatch,
  FactProvider,
  FactValue,
} from '@opsready/plugin-operability-node';
import type { CatalogSnapshot } from '../ownership/CatalogSnapshot';
import { PAGE_LOAD_FACT_DEFINITIONS } from './facts';
import type { OnCallLoadService } from './OnCallLoadService';

/**
 * The fact `on-call.pages-per-12h-max` for the readiness cycle, from the
 * pages the page-collection task stored. Registered with the plugin's fact
 * providers when the plugin registers (so the rubric knows the fact), and
 * bound to its service once the plugin has started.
 */
export class PageLoadFactProvider implements FactProvider {
  readonly id = 'on-call-pages';
  readonly facts = PAGE_LOAD_FACT_DEFINITIONS;
  private bound?: { service: OnCallLoadService; snapshot: CatalogSnapshot };

  bind(service: OnCallLoadService, snapshot: CatalogSnapshot): void {
    this.bound = { service, snapshot };
  }

  async collect({ entities }: { entities: Entity[] }): Promise<FactBatch> {
    if (!this.bound) {
      throw new Error('the on-call load has not started yet');
    }
    const { service, snapshot } = this.bound;
    const results = await service.facts(
      entities,
      await snapshot.get(),
      new Date(),
    );
    const facts = new Map<string, FactValue[]>();
    const errors = new Map<string, string>();
    for (const [ref, result] of results) {
      if ('value' in result) facts.set(ref, [result.value]);
      else if ('error' in result) errors.set(ref, result.error);
    }
    return errors.size > 0 ? { facts, errors } : { facts };
  }
}
