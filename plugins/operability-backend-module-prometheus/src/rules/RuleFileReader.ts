import { promises as fs } from 'fs';
import { dirname, extname, isAbsolute, relative, resolve } from 'path';
import { fileURLToPath } from 'url';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import { parseRuleFile, ParsedRuleFile } from './parseRuleFile';

/** Where a rule file is: on local disk (demo, `file:` locations) or behind a URL (read with the UrlReader). */
export type RuleLocation =
  | { kind: 'file'; path: string }
  | { kind: 'url'; url: string };

/** The key of a location, for caches. */
export function locationKey(location: RuleLocation): string {
  return location.kind === 'file'
    ? `file:${location.path}`
    : `url:${location.url}`;
}

/** How a location is shown as `file` of a rule and as evidence. */
export function displayLocation(location: RuleLocation): string {
  if (location.kind === 'url') return location.url;
  const rel = relative(process.cwd(), location.path);
  return rel && !isAbsolute(rel) ? rel : location.path;
}

function splitLocationRef(
  ref: string,
): { type: string; target: string } | undefined {
  const i = ref.indexOf(':');
  if (i <= 0) return undefined;
  return { type: ref.slice(0, i), target: ref.slice(i + 1) };
}

/**
 * Resolves `operability.io/alert-rules` (one or more comma-separated
 * entries) against the entity's `backstage.io/managed-by-location`:
 *
 * - `url:https://…` or `https://…`: read with the UrlReader;
 * - a relative path: relative to the catalog file the entity came from — a
 *   URL for `url:` locations, resolved by the SCM integration of its host
 *   (`integrations.resolveUrl`, as the catalog and TechDocs do: GitHub and
 *   GitLab blob/tree URLs, Bitbucket Cloud and Server, Azure DevOps `?path=`
 *   URLs), a path on disk for `file:` locations;
 * - `file:/abs/path` or an absolute path: only for entities that themselves
 *   come from a `file:` location (local files are never read on behalf of an
 *   entity from a remote repository).
 *
 * @throws Error with the reason when an entry cannot be resolved.
 */
export function resolveRuleLocations(
  value: string,
  managedByLocation: string | undefined,
  integrations: ScmIntegrationRegistry = defaultIntegrations(),
): RuleLocation[] {
  const base = managedByLocation
    ? splitLocationRef(managedByLocation)
    : undefined;
  const baseIsFile = base?.type === 'file';
  return value
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)
    .map((entry): RuleLocation => {
      if (entry.startsWith('url:')) return { kind: 'url', url: entry.slice(4) };
      if (/^https?:\/\//.test(entry)) return { kind: 'url', url: entry };
      let local: string | undefined;
      if (entry.startsWith('file:')) {
        const target = entry.slice(5);
        local = target.startsWith('//')
          ? fileURLToPath(`file:${target}`)
          : target;
      } else if (isAbsolute(entry)) {
        local = entry;
      }
      if (local !== undefined) {
        if (!baseIsFile) {
          throw new Error(
            `'${entry}' is a local path, which is only read for entities registered from a file: location`,
          );
        }
        return { kind: 'file', path: resolve(dirname(base!.target), local) };
      }
      if (!base) {
        throw new Error(
          `cannot resolve the relative path '${entry}': the entity has no backstage.io/managed-by-location`,
        );
      }
      if (baseIsFile)
        return { kind: 'file', path: resolve(dirname(base.target), entry) };
      if (base.type === 'url') {
        try {
          return {
            kind: 'url',
            url: integrations.resolveUrl({ url: entry, base: base.target }),
          };
        } catch {
          throw new Error(`cannot resolve '${entry}' against '${base.target}'`);
        }
      }
      throw new Error(
        `cannot resolve the relative path '${entry}' against a '${base.type}' location`,
      );
    });
}

let defaults: ScmIntegrationRegistry | undefined;

/**
 * The integrations Backstage knows without configuration (github.com,
 * gitlab.com, bitbucket.org, dev.azure.com), for callers that pass none.
 */
function defaultIntegrations(): ScmIntegrationRegistry {
  defaults ??= ScmIntegrations.fromConfig(new ConfigReader({}));
  return defaults;
}

interface CacheEntry {
  version: string;
  result: ParsedRuleFile | Error;
}

const RULE_FILE_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Reads and parses rule files, remembering each file's version (ETag from
 * the UrlReader, mtime and size on disk) so that an unchanged file is not
 * parsed again in the next cycle.
 */
export class RuleFileReader {
  private readonly cache = new Map<string, CacheEntry>();

  /** How relative rule-file locations resolve against `url:` locations. */
  readonly integrations: ScmIntegrationRegistry;

  constructor(
    private readonly options: {
      urlReader?: UrlReaderService;
      /**
       * The SCM integrations (`ScmIntegrations.fromConfig(config)`); by
       * default those Backstage knows without configuration.
       */
      integrations?: ScmIntegrationRegistry;
      /** Largest file read (default 5 MiB). */
      maxBytes?: number;
      /** Most files remembered (default 10,000). */
      maxCached?: number;
      /**
       * How long one file's read may take (default 10 s): a slow file is
       * that file's problem, not one that stalls every entity's rules.
       */
      timeoutMs?: number;
    } = {},
  ) {
    this.integrations = options.integrations ?? defaultIntegrations();
  }

  private remember(key: string, entry: CacheEntry) {
    this.cache.delete(key);
    this.cache.set(key, entry);
    const max = this.options.maxCached ?? 10_000;
    while (this.cache.size > max) {
      this.cache.delete(this.cache.keys().next().value!);
    }
  }

  /**
   * The parsed file. Throws RuleFileError (does not parse, with line) or an
   * Error (cannot be read) — both are about the entities that use this file.
   */
  async read(location: RuleLocation): Promise<ParsedRuleFile> {
    const key = locationKey(location);
    const shown = displayLocation(location);
    const cached = this.cache.get(key);
    const maxBytes = this.options.maxBytes ?? 5 * 1024 * 1024;
    let text: string;
    let version: string;
    if (location.kind === 'file') {
      if (!RULE_FILE_EXTENSIONS.has(extname(location.path).toLowerCase())) {
        throw new Error(
          `${shown}: not a rule file (expected .yaml, .yml or .json)`,
        );
      }
      let stat;
      try {
        stat = await fs.stat(location.path);
      } catch (e) {
        throw new Error(
          `${shown}: cannot be read (${
            (e as NodeJS.ErrnoException).code ?? e
          })`,
        );
      }
      if (!stat.isFile()) throw new Error(`${shown}: not a file`);
      if (stat.size > maxBytes)
        throw new Error(`${shown}: larger than ${maxBytes} bytes`);
      version = `${stat.mtimeMs}:${stat.size}`;
      if (cached?.version === version) return unwrap(cached.result);
      try {
        text = await fs.readFile(location.path, 'utf8');
      } catch (e) {
        throw new Error(
          `${shown}: cannot be read (${
            (e as NodeJS.ErrnoException).code ?? e
          })`,
        );
      }
    } else {
      const reader = this.options.urlReader;
      if (!reader) throw new Error(`${shown}: no UrlReader to read it with`);
      const timeoutMs = this.options.timeoutMs ?? 10_000;
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        const read = await abortable(
          (async () => {
            const response = await reader.readUrl(location.url, {
              etag: cached?.version.startsWith('etag:')
                ? cached.version.slice(5)
                : undefined,
              signal,
            });
            return {
              buffer: await response.buffer(),
              version: response.etag
                ? `etag:${response.etag}`
                : `read:${Date.now()}`,
            };
          })(),
          signal,
          `no answer within ${timeoutMs} ms`,
        );
        const buffer = read.buffer;
        version = read.version;
        if (buffer.length > maxBytes)
          throw new Error(`larger than ${maxBytes} bytes`);
        text = buffer.toString('utf8');
      } catch (e) {
        if ((e as Error).name === 'NotModifiedError' && cached)
          return unwrap(cached.result);
        throw new Error(`${shown}: cannot be read (${(e as Error).message})`);
      }
    }
    let result: ParsedRuleFile | Error;
    try {
      result = parseRuleFile(text, shown);
    } catch (e) {
      result = e as Error;
    }
    this.remember(key, { version, result });
    return unwrap(result);
  }
}

/**
 * The promise, or a rejection once the signal aborts: not every UrlReader
 * honours the signal, so the read is abandoned either way.
 */
function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  reason: string,
): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    const onAbort = () => reject(new Error(reason));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      value => {
        signal.removeEventListener('abort', onAbort);
        resolvePromise(value);
      },
      error => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function unwrap(result: ParsedRuleFile | Error): ParsedRuleFile {
  if (result instanceof Error) throw result;
  return result;
}
