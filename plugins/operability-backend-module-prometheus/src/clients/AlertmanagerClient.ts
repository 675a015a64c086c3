import { promises as fs } from 'fs';
import {
  AlertmanagerConfig,
  AlertmanagerConfigError,
  parseAlertmanagerConfig,
} from '../alertmanager/config';
import {
  fetchJson,
  HttpSourceOptions,
  redactUrl,
  SourceError,
} from '../util/http';

/** Settings of the Alertmanager client. */
export interface AlertmanagerClientOptions {
  url: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  fetchImpl?: typeof fetch;
}

/**
 * Reads Alertmanager's running configuration from API v2 (`/api/v2/status`,
 * `config.original`, which Alertmanager re-marshals with defaults expanded
 * and secrets shown as `<secret>`).
 */
export class AlertmanagerClient {
  readonly url: string;
  private readonly source: HttpSourceOptions;

  constructor(options: AlertmanagerClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.source = {
      label: 'Alertmanager',
      baseUrl: this.url,
      headers: options.headers,
      timeoutMs: options.timeoutMs,
      fetchImpl: options.fetchImpl,
    };
  }

  get displayUrl(): string {
    return redactUrl(this.url);
  }

  /** The running configuration; throws a SourceError on any failure. */
  async getConfig(): Promise<AlertmanagerConfig> {
    let original: unknown;
    await fetchJson(this.source, '/api/v2/status', [
      { path: ['config', 'original'], onValue: v => (original = v) },
    ]);
    if (typeof original !== 'string') {
      throw new SourceError(
        `Alertmanager (${this.displayUrl}): /api/v2/status has no config.original`,
      );
    }
    try {
      return parseAlertmanagerConfig(
        original,
        `Alertmanager (${this.displayUrl}) running config`,
      );
    } catch (e) {
      if (e instanceof AlertmanagerConfigError)
        throw new SourceError(e.message, { cause: e });
      throw e;
    }
  }
}

/** Reads and parses an alertmanager.yml from disk; throws a SourceError on any failure. */
export async function readAlertmanagerConfigFile(
  path: string,
): Promise<AlertmanagerConfig> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    throw new SourceError(
      `Alertmanager config file ${path} cannot be read: ${
        (e as NodeJS.ErrnoException).code ?? (e as Error).message
      }`,
      { cause: e },
    );
  }
  try {
    return parseAlertmanagerConfig(text, path);
  } catch (e) {
    if (e instanceof AlertmanagerConfigError)
      throw new SourceError(e.message, { cause: e });
    throw e;
  }
}
