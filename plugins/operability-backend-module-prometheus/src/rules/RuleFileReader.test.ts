import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { NotModifiedError } from '@backstage/errors';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { resolveRuleLocations, RuleFileReader } from './RuleFileReader';

describe('resolveRuleLocations', () => {
  it('resolves relative paths against a file: location (the demo)', () => {
    expect(
      resolveRuleLocations(
        '../rules/x.yaml',
        'file:/repo/examples/components/a.yaml',
      ),
    ).toEqual([{ kind: 'file', path: '/repo/examples/rules/x.yaml' }]);
  });

  it('resolves relative paths against a url: location', () => {
    expect(
      resolveRuleLocations(
        'monitoring/rules.yaml, ../shared/r.yml',
        'url:https://github.com/org/repo/blob/main/catalog-info.yaml',
      ),
    ).toEqual([
      {
        kind: 'url',
        url: 'https://github.com/org/repo/blob/main/monitoring/rules.yaml',
      },
      { kind: 'url', url: 'https://github.com/org/repo/blob/shared/r.yml' },
    ]);
  });

  it('takes absolute URLs as they are', () => {
    expect(resolveRuleLocations('url:https://x/y.yaml', undefined)).toEqual([
      { kind: 'url', url: 'https://x/y.yaml' },
    ]);
    expect(resolveRuleLocations('https://x/y.yaml', 'url:https://a/b')).toEqual(
      [{ kind: 'url', url: 'https://x/y.yaml' }],
    );
  });

  it('reads local paths only for entities from file: locations', () => {
    expect(
      resolveRuleLocations('file:/etc/rules.yaml', 'file:/repo/a.yaml'),
    ).toEqual([{ kind: 'file', path: '/etc/rules.yaml' }]);
    expect(() =>
      resolveRuleLocations(
        '/etc/rules.yaml',
        'url:https://github.com/o/r/blob/main/a.yaml',
      ),
    ).toThrow(/only read for entities registered from a file: location/);
    expect(() => resolveRuleLocations('rules.yaml', undefined)).toThrow(
      /no backstage.io\/managed-by-location/,
    );
  });
});

describe('RuleFileReader', () => {
  const RULES =
    'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n';

  it('reads URLs with the UrlReader and reuses the parse on NotModified', async () => {
    const readUrl = jest
      .fn()
      .mockResolvedValueOnce({
        buffer: async () => Buffer.from(RULES),
        etag: 'v1',
      })
      .mockRejectedValueOnce(new NotModifiedError('same'));
    const reader = new RuleFileReader({
      urlReader: { readUrl } as unknown as UrlReaderService,
    });
    const location = { kind: 'url' as const, url: 'https://git/x.yaml' };
    const first = await reader.read(location);
    const second = await reader.read(location);
    expect(second).toBe(first);
    expect(first.alerts[0].file).toBe('https://git/x.yaml');
    expect(readUrl).toHaveBeenLastCalledWith('https://git/x.yaml', {
      etag: 'v1',
      signal: expect.any(AbortSignal),
    });
  });

  it('gives up on a file that does not answer within its timeout', async () => {
    // A UrlReader that ignores the abort signal and never answers.
    const readUrl = jest.fn(() => new Promise<never>(() => {}));
    const reader = new RuleFileReader({
      urlReader: { readUrl } as unknown as UrlReaderService,
      timeoutMs: 50,
    });
    await expect(
      reader.read({ kind: 'url', url: 'https://git/slow.yaml' }),
    ).rejects.toThrow(
      'https://git/slow.yaml: cannot be read (no answer within 50 ms)',
    );
    expect(readUrl).toHaveBeenCalledWith(
      'https://git/slow.yaml',
      expect.objectContaining({ signal: expect.any(AbortSignal) }),
    );
  });

  it('reports read failures and parse errors', async () => {
    const readUrl = jest
      .fn()
      .mockRejectedValue(new Error('NotFoundError: 404'));
    const reader = new RuleFileReader({
      urlReader: { readUrl } as unknown as UrlReaderService,
    });
    await expect(
      reader.read({ kind: 'url', url: 'https://git/x.yaml' }),
    ).rejects.toThrow(
      'https://git/x.yaml: cannot be read (NotFoundError: 404)',
    );
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    try {
      writeFileSync(join(dir, 'bad.yaml'), 'groups:\n  - name: [\n');
      writeFileSync(join(dir, 'secret.txt'), 'x');
      const local = new RuleFileReader({ maxBytes: 1000 });
      await expect(
        local.read({ kind: 'file', path: join(dir, 'bad.yaml') }),
      ).rejects.toThrow(/bad\.yaml:3:1: /);
      await expect(
        local.read({ kind: 'file', path: join(dir, 'secret.txt') }),
      ).rejects.toThrow(/not a rule file/);
      await expect(
        local.read({ kind: 'file', path: join(dir, 'none.yaml') }),
      ).rejects.toThrow(/cannot be read \(ENOENT\)/);
      writeFileSync(join(dir, 'big.yaml'), `# ${'x'.repeat(2000)}\n`);
      await expect(
        local.read({ kind: 'file', path: join(dir, 'big.yaml') }),
      ).rejects.toThrow(/larger than 1000 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
