import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { NotModifiedError } from '@backstage/errors';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
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
        url: 'https://github.com/org/repo/tree/main/monitoring/rules.yaml',
      },
      { kind: 'url', url: 'https://github.com/org/repo/tree/shared/r.yml' },
    ]);
  });

  describe('through the SCM integrations of the location', () => {
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            {
              host: 'github.example.com',
              apiBaseUrl: 'https://github.example.com/api/v3',
            },
          ],
          bitbucketServer: [{ host: 'bitbucket.example.com' }],
        },
      }),
    );
    const resolve = (entry: string, location: string) =>
      resolveRuleLocations(entry, `url:${location}`, integrations);

    // GitHub's integration answers tree URLs, which its UrlReader reads as
    // files as well (as the catalog does for relative locations).
    it('GitHub blob URLs (and GitHub Enterprise hosts)', () => {
      expect(
        resolve(
          'monitoring/rules.yaml',
          'https://github.com/org/repo/blob/main/services/api/catalog-info.yaml',
        ),
      ).toEqual([
        {
          kind: 'url',
          url: 'https://github.com/org/repo/tree/main/services/api/monitoring/rules.yaml',
        },
      ]);
      expect(
        resolve(
          '../shared/rules.yaml',
          'https://github.example.com/org/repo/blob/v1.2/services/api/catalog-info.yaml',
        ),
      ).toEqual([
        {
          kind: 'url',
          url: 'https://github.example.com/org/repo/tree/v1.2/services/shared/rules.yaml',
        },
      ]);
    });

    it('GitHub tree URLs (a folder registered as the location)', () => {
      expect(
        resolve(
          'rules/alerts.yml',
          'https://github.com/org/repo/tree/main/deploy/',
        ),
      ).toEqual([
        {
          kind: 'url',
          url: 'https://github.com/org/repo/tree/main/deploy/rules/alerts.yml',
        },
      ]);
    });

    it('GitLab blob URLs, with sub-groups', () => {
      expect(
        resolve(
          './alerts/rules.yaml',
          'https://gitlab.com/group/sub/repo/-/blob/main/catalog-info.yaml',
        ),
      ).toEqual([
        {
          kind: 'url',
          url: 'https://gitlab.com/group/sub/repo/-/blob/main/alerts/rules.yaml',
        },
      ]);
    });

    it('Bitbucket Cloud src URLs', () => {
      expect(
        resolve(
          'monitoring/rules.yaml',
          'https://bitbucket.org/workspace/repo/src/main/catalog-info.yaml',
        ),
      ).toEqual([
        {
          kind: 'url',
          url: 'https://bitbucket.org/workspace/repo/src/main/monitoring/rules.yaml',
        },
      ]);
    });

    it('Bitbucket Server browse URLs keep their ?at= branch', () => {
      expect(
        resolve(
          'monitoring/rules.yaml',
          'https://bitbucket.example.com/projects/OPS/repos/api/browse/catalog-info.yaml?at=refs%2Fheads%2Frelease',
        ),
      ).toEqual([
        {
          kind: 'url',
          url: 'https://bitbucket.example.com/projects/OPS/repos/api/browse/monitoring/rules.yaml?at=refs%2Fheads%2Frelease',
        },
      ]);
    });

    it('Azure DevOps ?path= URLs', () => {
      const [location] = resolve(
        '../monitoring/rules.yaml',
        'https://dev.azure.com/org/project/_git/repo?path=/services/api/catalog-info.yaml&version=GBmain',
      );
      expect(location.kind).toBe('url');
      const url = new URL((location as { url: string }).url);
      expect(url.origin + url.pathname).toBe(
        'https://dev.azure.com/org/project/_git/repo',
      );
      expect(url.searchParams.get('path')).toBe(
        '/services/monitoring/rules.yaml',
      );
      expect(url.searchParams.get('version')).toBe('GBmain');
    });
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
