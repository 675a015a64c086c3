import type { FactDefinition } from '@opsready/plugin-operability-node';

/** number: the most pages per 12 hours on call of any primary shift in the last 28 days. */
export const PAGE_LOAD_FACT = 'on-call.pages-per-12h-max';

/** Google SRE's bound for a sustainable shift: at most 2 pages per 12 hours on call. */
export const PAGE_LOAD_MAX_PER_12H = 2;

export const PAGE_LOAD_FACT_DEFINITIONS: FactDefinition[] = [
  {
    name: PAGE_LOAD_FACT,
    type: 'number',
    description:
      'The most pages per 12 hours on call of any primary shift in the last 28 days (shifts shorter than 12 hours count as 12); evidence names the busiest shift',
  },
];
