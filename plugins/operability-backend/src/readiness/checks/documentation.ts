import { CATALOG_FACTS } from '../builtinFacts';
import type { CheckUnit } from '../types';
import { boolFact, linksFact } from './judges';
import { OWNED, SERVICES, defineCheck } from './unit';

/** Whether people can learn what it is and how to run it. */
export const DOCUMENTATION_CHECKS: readonly CheckUnit[] = [
  defineCheck({
    id: 'documentation.description',
    title: 'Description',
    level: 'bronze',
    filter: OWNED,
    description:
      'People who find the entity in the catalog — during an incident, a review or a search — need to know in one sentence what it does.',
    remediation:
      'Add `metadata.description` to catalog-info.yaml: one sentence saying what it does and for whom.',
    ...boolFact(CATALOG_FACTS.description, {
      kind: 'field',
      pass: 'metadata.description is set',
      fail: 'metadata.description is not set',
    }),
  }),
  defineCheck({
    id: 'documentation.runbook',
    title: 'Runbook linked',
    level: 'silver',
    filter: SERVICES,
    description:
      'Operating code includes helping resolve incidents. A runbook for the service — how to deploy, roll back, scale and diagnose — shortens every incident.',
    remediation:
      'Add the annotation `operability.io/runbook: https://…` or a link with `type: runbook` to `metadata.links`.',
    ...linksFact(CATALOG_FACTS.runbook, {
      kind: 'runbook',
      noun: 'runbook',
      none: 'no runbook is linked',
    }),
  }),
  defineCheck({
    id: 'documentation.techdocs',
    title: 'TechDocs',
    level: 'gold',
    filter: { kind: ['Component'] },
    description:
      'Docs that live beside the code are kept up to date with it. TechDocs make the design, the operational notes and the decisions findable from the catalog.',
    remediation:
      'Add `mkdocs.yml` and `docs/index.md` to the repository and the annotation `backstage.io/techdocs-ref: dir:.` to catalog-info.yaml.',
    ...boolFact(CATALOG_FACTS.techdocs, {
      kind: 'annotation',
      pass: 'TechDocs are set up (backstage.io/techdocs-ref)',
      fail: 'TechDocs are not set up: no backstage.io/techdocs-ref annotation',
    }),
  }),
];
