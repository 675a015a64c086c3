import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { BUILTIN_EVALUATORS } from '../checks';
import { CATALOG_FACTS } from '../builtinFacts';
import { readRubricConfig } from './readRubricConfig';

const options = {
  knownFacts: new Set<string>(Object.values(CATALOG_FACTS)),
  evaluators: BUILTIN_EVALUATORS,
};

function read(rubric: JsonObject) {
  return readRubricConfig(
    new ConfigReader({ operability: { rubric } }),
    options,
  );
}

describe('readRubricConfig: enforcedFrom', () => {
  it('sets enforcedFrom on a default check by id', () => {
    const rubric = read({
      checks: [{ id: 'documentation.runbook', enforcedFrom: '2027-03-01' }],
    });
    expect(
      rubric.checks.find(c => c.id === 'documentation.runbook'),
    ).toMatchObject({ enforcedFrom: '2027-03-01' });
    expect(rubric.checks.filter(c => c.enforcedFrom).map(c => c.id)).toEqual([
      'documentation.runbook',
    ]);
  });

  it('takes enforcedFrom on a new check', () => {
    const rubric = read({
      checks: [
        {
          id: 'custom.has-system',
          title: 'Part of a system',
          level: 'bronze',
          description: 'why',
          remediation: 'how',
          condition: { fact: 'catalog.system', operator: 'exists' },
          enforcedFrom: '2027-01-15',
        },
      ],
    });
    expect(rubric.checks.at(-1)).toMatchObject({
      id: 'custom.has-system',
      enforcedFrom: '2027-01-15',
    });
  });

  it.each(['2027-02-30', '1 March', '2027-03-01T00:00:00Z'])(
    'refuses enforcedFrom %j, naming the path',
    enforcedFrom => {
      expect(() =>
        read({ checks: [{ id: 'documentation.runbook', enforcedFrom }] }),
      ).toThrow(
        /Invalid config at 'operability\.rubric\.checks\[0\]\.enforcedFrom': expected a date YYYY-MM-DD/,
      );
    },
  );
});
