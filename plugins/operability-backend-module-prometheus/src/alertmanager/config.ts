import { isMap, LineCounter, parseDocument } from 'yaml';
import { AmMatcher, newMatcher, parseMatchers } from './matchers';

/** One node of Alertmanager's routing tree, with inherited settings resolved. */
export interface RouteNode {
  /** Where it is in the config: `route`, `route > routes[1] > routes[0]`. */
  path: string;
  /** The receiver, inherited from the nearest ancestor when not set. */
  receiver: string;
  /** `match`, `match_re` and `matchers`, merged (all must hold). */
  matchers: AmMatcher[];
  continue: boolean;
  routes: RouteNode[];
}

/** What the module needs to know about one receiver. */
export interface Receiver {
  name: string;
  /** Routing keys (Events API v2) or service keys (v1); `<secret>` when masked. */
  pagerDutyKeys: string[];
  pagerDutyConfigs: number;
  opsgenieConfigs: number;
  webhookConfigs: number;
  /** Names of the integrations it has, e.g. `pagerduty_configs`, `slack_configs`. */
  integrations: string[];
}

/** The parts of an Alertmanager configuration the module uses. */
export interface AlertmanagerConfig {
  route: RouteNode;
  receivers: Map<string, Receiver>;
}

/** An Alertmanager configuration that does not parse or is invalid. */
export class AlertmanagerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertmanagerConfigError';
  }
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Parses an Alertmanager configuration (a file, or `config.original` of
 * `/api/v2/status`) and builds the routing tree with Alertmanager's rules:
 * the root route needs a receiver and has no matchers and no `continue`;
 * every route's receiver must exist; `match` (equality), `match_re`
 * (anchored regex) and `matchers` (strings, parsed like Alertmanager 0.25
 * does) are merged; receivers are inherited.
 *
 * @param source - shown in messages, e.g. the file path or the Alertmanager URL
 */
export function parseAlertmanagerConfig(
  text: string,
  source: string,
): AlertmanagerConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const pos = lineCounter.linePos(error.pos[0]);
    throw new AlertmanagerConfigError(
      `${source}:${pos.line}:${pos.col}: invalid YAML: ${error.message
        .split('\n')[0]
        .replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  if (!isMap(doc.contents)) {
    throw new AlertmanagerConfigError(
      `${source}: not an Alertmanager configuration (expected a mapping)`,
    );
  }
  const fail = (message: string): never => {
    throw new AlertmanagerConfigError(`${source}: ${message}`);
  };
  const root = doc.toJS({ maxAliasCount: 1000 }) as Obj;

  const receivers = new Map<string, Receiver>();
  const list = root.receivers ?? [];
  if (!Array.isArray(list)) fail('`receivers` must be a list');
  (list as unknown[]).forEach((r, i) => {
    if (!isObj(r) || typeof r.name !== 'string' || r.name === '') {
      fail(`receivers[${i}] has no name`);
    }
    const rec = r as Obj;
    const name = rec.name as string;
    if (receivers.has(name)) fail(`receiver '${name}' is defined twice`);
    const configs = (key: string): Obj[] => {
      const v = rec[key];
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v)) fail(`receivers[${i}].${key} must be a list`);
      return (v as unknown[]).filter(isObj);
    };
    const pd = configs('pagerduty_configs');
    receivers.set(name, {
      name,
      pagerDutyKeys: pd
        .map(c => c.routing_key ?? c.service_key)
        .filter((k): k is string => typeof k === 'string' && k !== ''),
      pagerDutyConfigs: pd.length,
      opsgenieConfigs: configs('opsgenie_configs').length,
      webhookConfigs: configs('webhook_configs').length,
      integrations: Object.keys(rec).filter(
        k =>
          k.endsWith('_configs') &&
          Array.isArray(rec[k]) &&
          (rec[k] as unknown[]).length > 0,
      ),
    });
  });

  if (!isObj(root.route)) fail('no `route` (the root route is required)');
  const build = (
    raw: Obj,
    path: string,
    parentReceiver: string | undefined,
    isRoot: boolean,
  ): RouteNode => {
    const matchers: AmMatcher[] = [];
    try {
      if (raw.match !== undefined && raw.match !== null) {
        if (!isObj(raw.match)) fail(`${path}.match must be a mapping`);
        for (const [k, v] of Object.entries(raw.match as Obj)) {
          if (!LABEL_NAME.test(k))
            fail(`${path}.match: invalid label name '${k}'`);
          matchers.push(newMatcher(k, '=', String(v ?? '')));
        }
      }
      if (raw.match_re !== undefined && raw.match_re !== null) {
        if (!isObj(raw.match_re)) fail(`${path}.match_re must be a mapping`);
        for (const [k, v] of Object.entries(raw.match_re as Obj)) {
          if (!LABEL_NAME.test(k))
            fail(`${path}.match_re: invalid label name '${k}'`);
          matchers.push(newMatcher(k, '=~', String(v ?? '')));
        }
      }
      if (raw.matchers !== undefined && raw.matchers !== null) {
        if (!Array.isArray(raw.matchers))
          fail(`${path}.matchers must be a list`);
        for (const m of raw.matchers as unknown[]) {
          if (typeof m !== 'string')
            fail(`${path}.matchers: each matcher must be a string`);
          matchers.push(...parseMatchers(m as string));
        }
      }
    } catch (e) {
      if (e instanceof AlertmanagerConfigError) throw e;
      fail(`${path}: ${(e as Error).message}`);
    }
    if (isRoot && matchers.length > 0)
      fail('the root route must not have any matchers');
    if (isRoot && raw.continue === true)
      fail('the root route cannot have continue set');
    const own =
      typeof raw.receiver === 'string' && raw.receiver !== ''
        ? raw.receiver
        : undefined;
    if (isRoot && !own) fail('the root route must have a receiver');
    const receiver = own ?? parentReceiver!;
    if (own && !receivers.has(own))
      fail(`undefined receiver '${own}' used in ${path}`);
    const children = raw.routes ?? [];
    if (!Array.isArray(children)) fail(`${path}.routes must be a list`);
    return {
      path,
      receiver,
      matchers,
      continue: !isRoot && raw.continue === true,
      routes: (children as unknown[]).map((c, i) => {
        if (!isObj(c)) fail(`${path} > routes[${i}] must be a mapping`);
        return build(c as Obj, `${path} > routes[${i}]`, receiver, false);
      }),
    };
  };
  return {
    route: build(root.route as Obj, 'route', undefined, true),
    receivers,
  };
}
