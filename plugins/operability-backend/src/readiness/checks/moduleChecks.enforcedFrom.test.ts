import type { ExtensionPointFactoryContext } from '@backstage/backend-plugin-api';
import type { OperabilityCheck } from '@opsready/plugin-operability-node';
import { ModuleChecks, moduleCheckUnit } from './moduleChecks';

const check: OperabilityCheck = {
  id: 'security.image-scanned',
  title: 'Container image scanned',
  level: 'silver',
  description: 'why',
  remediation: 'how',
  facts: [],
  enforcedFrom: '2027-03-01',
  evaluate: () => ({ status: 'pass', message: 'ok' }),
};

describe('module checks: enforcedFrom', () => {
  it('carries enforcedFrom into the check definition', () => {
    expect(moduleCheckUnit(check).definition.enforcedFrom).toBe('2027-03-01');
    const { enforcedFrom: _, ...without } = check;
    expect(moduleCheckUnit(without).definition).not.toHaveProperty(
      'enforcedFrom',
    );
  });

  it('refuses a date that does not exist in the module that adds it', () => {
    const context = {
      reportModuleStartupFailure: jest.fn(),
    } as unknown as ExtensionPointFactoryContext;
    const point = new ModuleChecks().forModule(context);
    expect(() =>
      point.addChecks({ ...check, enforcedFrom: '2027-02-30' }),
    ).toThrow(
      /Invalid operability check 'security.image-scanned': enforcedFrom: expected a date YYYY-MM-DD/,
    );
  });
});
