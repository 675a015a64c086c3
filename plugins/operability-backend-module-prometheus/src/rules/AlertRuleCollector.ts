import type { Entity } from '@backstage/catalog-model';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { AlertRuleFact } from '@opsready/plugin-operability-node';
import type { PrometheusClient } from '../clients/PrometheusClient';
import {
  analyzePromql,
  analyzeTemplate,
  instantiateAnalysis,
  PromqlAnalysis,
  toTemplate,
} from '../promql/analyze';
import { selectServices } from '../promql/selectsService';
import {
  ANNOTATIONS,
  readServices,
  ServiceEntry,
  ServiceIndex,
} from '../services';
import type { ParsedRuleFile } from './parseRuleFile';
import { burnRateReason, toAlertRuleFact } from './ruleFacts';
import {
  displayLocation,
  locationKey,
  resolveRuleLocations,
  RuleFileReader,
  RuleLocation,
} from './RuleFileReader';
import type { AlertRuleDefinition } from './types';

/** What is kept of a rule once it has been matched (no expression, no analysis). */
export type SelectedRuleInfo = Pick<
  AlertRuleDefinition,
  'alert' | 'group' | 'labels' | 'file' | 'origin'
>;

/** What is derived once per rule and shared by the entities it selects. */
interface Derived {
  rule: SelectedRuleInfo;
  fact: AlertRuleFact;
  burnReason?: string;
}

/** A rule that selects an entity, with why. */
export interface SelectedRule {
  rule: SelectedRuleInfo;
  fact: AlertRuleFact;
  /** Why it selects the entity, e.g. `expr selects job="payments-api"`. */
  reason: string;
  /** Why it is a burn-rate alert, when it is one. */
  burnReason?: string;
}

/** The alerting rules of one cycle, per entity. */
export interface RuleCollection {
  collectedAt: string;
  /** Entities that get an `alerting.rules` fact (possibly empty), with their rules. */
  rules: Map<string, SelectedRule[]>;
  /** Entities whose rule facts are not produced, with the reason (file and line for parse errors). */
  errors: Map<string, string>;
  services: Map<string, ServiceEntry>;
  /** Per entity: the sources consulted (rule files, Prometheus instances). */
  sources: Map<string, string[]>;
}

/**
 * Collects alerting rules from every Prometheus instance (`/api/v1/rules`,
 * one request each) and from the rule files the entities point to, and works
 * out which rules select which entity. Shared by the `alert-rules` provider
 * (which reports the rules) and the `alertmanager` provider (which routes
 * them): within one cycle both get the same collection, because the engine
 * passes the same entity list to every provider and the collection is
 * remembered per list.
 *
 * Prometheus rules are matched against all entities through an index;
 * rules from a rule file are matched only against the entities that point to
 * that file. Each PromQL expression is parsed at most once per cycle — as a
 * template with its string literals emptied, so that rules differing only in
 * label values share one parse — and templates are reused by the next cycle.
 */
export class AlertRuleCollector {
  private readonly memo = new WeakMap<Entity[], Promise<RuleCollection>>();
  /** Template analyses by template, from the last cycle. */
  private templateCache = new Map<string, PromqlAnalysis>();
  /** The last collection that succeeded. */
  lastGood?: RuleCollection;

  constructor(
    private readonly options: {
      clients: PrometheusClient[];
      fileReader: RuleFileReader;
      logger?: LoggerService;
    },
  ) {}

  collect(entities: Entity[]): Promise<RuleCollection> {
    let pending = this.memo.get(entities);
    if (!pending) {
      pending = this.run(entities).then(result => {
        this.lastGood = result;
        return result;
      });
      this.memo.set(entities, pending);
    }
    return pending;
  }

  /**
   * The analysis of an expression: through its template (string literals
   * emptied), so that rules that differ only in label values share one lezer
   * parse; templates seen this cycle are kept for the next one.
   */
  private analyze(
    expr: string,
    next: Map<string, PromqlAnalysis>,
  ): PromqlAnalysis {
    const t = toTemplate(expr);
    if (!t) return analyzePromql(expr);
    let template = next.get(t.template) ?? this.templateCache.get(t.template);
    if (!template) template = analyzeTemplate(t);
    next.set(t.template, template);
    // Invalid: parse the expression itself, for exact error positions.
    if (!template.valid) return analyzePromql(expr);
    return instantiateAnalysis(template, t.literals);
  }

  /** The derived, kept parts of a rule that selects something. */
  private derive(rule: AlertRuleDefinition): Derived {
    return {
      rule: {
        alert: rule.alert,
        group: rule.group,
        labels: rule.labels,
        file: rule.file,
        origin: rule.origin,
      },
      fact: toAlertRuleFact(rule),
      burnReason: burnRateReason(rule),
    };
  }

  /**
   * Streams the alerting rules of every instance and matches each one as it
   * arrives, keeping only what selects an entity (rules that select nothing,
   * and every rule's expression and analysis, are dropped at once).
   */
  private async selectPrometheusRules(
    index: ServiceIndex,
  ): Promise<Map<string, { derived: Derived; reason: string }[]>> {
    const selected = new Map<string, { derived: Derived; reason: string }[]>();
    const next = new Map<string, PromqlAnalysis>();
    let unparsable = 0;
    await Promise.all(
      this.options.clients.map(client => {
        const origin = `prometheus ${client.name}`;
        return client.forEachRuleGroup(group => {
          for (const r of group.rules) {
            if (r.type !== 'alerting') continue;
            const analysis = this.analyze(r.query, next);
            if (!analysis.valid) unparsable++;
            const runbook = r.annotations?.runbook_url;
            const rule: AlertRuleDefinition = {
              alert: r.name,
              expr: r.query,
              forSeconds: typeof r.duration === 'number' ? r.duration : 0,
              labels: r.labels ?? {},
              annotations: runbook ? { runbook_url: runbook } : {},
              group: group.name,
              file: group.file,
              origin,
              analysis,
            };
            const refs = selectServices(rule, index);
            if (refs.size === 0) continue;
            const derived = this.derive(rule);
            for (const [ref, reason] of refs) {
              let list = selected.get(ref);
              if (!list) selected.set(ref, (list = []));
              list.push({ derived, reason });
            }
          }
        });
      }),
    );
    this.templateCache = next;
    if (unparsable > 0) {
      this.options.logger?.warn(
        `${unparsable} Prometheus alerting rule(s) have expressions the PromQL parser does not understand; they select services by labels and prometheus.io/alert only`,
      );
    }
    return selected;
  }

  private async run(entities: Entity[]): Promise<RuleCollection> {
    const collectedAt = new Date().toISOString();
    const { services, errors } = readServices(entities);
    const { clients, fileReader } = this.options;
    const promSources = clients.map(
      c => `prometheus ${c.name} (${c.displayUrl})`,
    );

    // Rule files: each distinct location read once.
    const reads = new Map<string, Promise<ParsedRuleFile>>();
    const locationsOf = new Map<string, RuleLocation[]>();
    for (const s of services) {
      if (!s.alertRules) continue;
      try {
        const locations = resolveRuleLocations(
          s.alertRules,
          s.entity.metadata.annotations?.[ANNOTATIONS.managedByLocation],
          fileReader.integrations,
        );
        locationsOf.set(s.ref, locations);
        for (const l of locations) {
          const key = locationKey(l);
          if (!reads.has(key)) {
            const p = fileReader.read(l);
            p.catch(() => {}); // observed below
            reads.set(key, p);
          }
        }
      } catch (e) {
        errors.set(s.ref, `${ANNOTATIONS.alertRules}: ${(e as Error).message}`);
      }
    }

    // Entities that may get an alerting.rules fact: a rule source covers
    // them and something says which rules are theirs.
    const candidates: ServiceEntry[] = [];
    for (const s of services) {
      if (errors.has(s.ref)) continue;
      const locations = locationsOf.get(s.ref) ?? [];
      if (!s.identity && s.alertNames.length === 0) {
        if (locations.length > 0) {
          errors.set(
            s.ref,
            `${ANNOTATIONS.alertRules} is set but neither ${ANNOTATIONS.job}, ${ANNOTATIONS.serviceLabel} nor ${ANNOTATIONS.alert} says which rules belong to the service`,
          );
        }
        continue;
      }
      if (clients.length === 0 && locations.length === 0) continue;
      candidates.push(s);
    }

    const [promSelected] = await Promise.all([
      candidates.length > 0 && clients.length > 0
        ? this.selectPrometheusRules(new ServiceIndex(candidates))
        : new Map<string, { derived: Derived; reason: string }[]>(),
      Promise.allSettled(reads.values()),
    ]);

    const byEntity = new Map<string, SelectedRule[]>();
    const sources = new Map<string, string[]>();
    const derivedOf = new Map<AlertRuleDefinition, Derived>();
    for (const s of candidates) {
      const locations = locationsOf.get(s.ref) ?? [];
      // A rule file that cannot be read or parsed: no rule facts for this entity.
      let failed: string | undefined;
      const files: ParsedRuleFile[] = [];
      for (const l of locations) {
        try {
          files.push(await reads.get(locationKey(l))!);
        } catch (e) {
          failed = failed ?? (e as Error).message;
        }
      }
      if (failed) {
        errors.set(s.ref, `alert rules not read: ${failed}`);
        continue;
      }
      // Rule files first, then Prometheus: one entry per alert and group.
      const list: SelectedRule[] = [];
      const seen = new Set<string>();
      const push = (derived: Derived, reason: string) => {
        const key = `${derived.rule.alert}\u0000${derived.rule.group}`;
        if (seen.has(key)) return;
        seen.add(key);
        list.push({ reason, ...derived });
      };
      const own = new ServiceIndex([s]);
      for (const file of files) {
        for (const rule of file.alerts) {
          const reason = selectServices(rule, own).get(s.ref);
          if (!reason) continue;
          let derived = derivedOf.get(rule);
          if (!derived) derivedOf.set(rule, (derived = this.derive(rule)));
          push(derived, reason);
        }
      }
      for (const { derived, reason } of promSelected.get(s.ref) ?? []) {
        push(derived, reason);
      }
      byEntity.set(s.ref, list);
      sources.set(s.ref, [...locations.map(displayLocation), ...promSources]);
    }
    return {
      collectedAt,
      rules: byEntity,
      errors,
      services: new Map(services.map(s => [s.ref, s])),
      sources,
    };
  }
}
