import {
  Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  YAMLMap,
} from 'yaml';
import { analyzePromql } from '../promql/analyze';
import { parsePrometheusDuration } from '../promql/strings';
import type { AlertRuleDefinition } from './types';

/** A rule file that does not parse or is not a valid rule file; names the file, line and column. */
export class RuleFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = 'RuleFileError';
  }
}

/** The result of parsing one rule file. */
export interface ParsedRuleFile {
  /** `rule-file` (Prometheus rule-file format) or `PrometheusRule` (the prometheus-operator CR). */
  format: 'rule-file' | 'PrometheusRule';
  /** The alerting rules (recording rules are validated, then left out). */
  alerts: AlertRuleDefinition[];
  /** How many recording rules the file has. */
  recordingRules: number;
}

type Node = unknown;

const RULE_KEYS = new Set([
  'record',
  'alert',
  'expr',
  'for',
  'keep_firing_for',
  'labels',
  'annotations',
]);
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Parses a Prometheus rule file (`groups: [...]`) or a PrometheusRule custom
 * resource (`apiVersion: monitoring.coreos.com/v1`, `kind: PrometheusRule`,
 * groups under `spec.groups`), with the checks promtool makes that matter
 * here: YAML syntax, the structure of groups and rules, unique group names,
 * `for` durations, label names, and that every `expr` parses as PromQL.
 * Several YAML documents in one file are read in turn; documents of other
 * Kubernetes kinds are skipped.
 *
 * @throws RuleFileError with the file, line and column of the first problem.
 */
export function parseRuleFile(text: string, file: string): ParsedRuleFile {
  const lineCounter = new LineCounter();
  const sourceLines = text.split('\n');
  const docs = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const fail = (offset: number | undefined, reason: string): never => {
    const pos = lineCounter.linePos(offset ?? 0);
    throw new RuleFileError(file, pos.line, pos.col, reason);
  };
  const offsetOf = (node: Node): number | undefined =>
    (node as { range?: [number, number, number] } | null)?.range?.[0];

  const result: ParsedRuleFile = {
    format: 'rule-file',
    alerts: [],
    recordingRules: 0,
  };
  const docList: Document[] = Array.isArray(docs) ? docs : [];
  for (const doc of docList) {
    const error = doc.errors[0];
    if (error) fail(error.pos[0], firstLine(error.message));
  }
  let sawRules = false;
  const groupNames = new Set<string>();
  for (const doc of docList) {
    const root = doc.contents;
    if (root === null || root === undefined) continue;
    if (isScalar(root) && (root.value === null || root.value === '')) continue;
    if (!isMap(root)) fail(offsetOf(root), 'expected a mapping with `groups`');
    const map = root as YAMLMap;
    const kind = scalarString(map.get('kind', true));
    const apiVersion = scalarString(map.get('apiVersion', true));
    let groups: Node;
    if (kind === 'PrometheusRule') {
      if (apiVersion && !apiVersion.startsWith('monitoring.coreos.com/')) {
        fail(
          offsetOf(map.get('apiVersion', true)),
          `unsupported apiVersion '${apiVersion}' for PrometheusRule (expected monitoring.coreos.com/v1)`,
        );
      }
      result.format = 'PrometheusRule';
      const spec: unknown = map.get('spec', true);
      if (!isMap(spec)) fail(offsetOf(map), 'PrometheusRule has no spec');
      groups = (spec as YAMLMap).get('groups', true);
    } else if (kind !== undefined && !map.has('groups')) {
      // Another Kubernetes resource in a multi-document manifest.
      continue;
    } else {
      groups = map.get('groups', true);
      if (groups === undefined && map.items.length > 0) {
        fail(offsetOf(map), 'not a rule file: no `groups` key');
      }
    }
    sawRules = true;
    if (groups === undefined || groups === null) continue;
    if (isScalar(groups) && groups.value === null) continue;
    if (!isSeq(groups)) fail(offsetOf(groups), '`groups` must be a list');
    for (const group of (groups as { items: Node[] }).items) {
      if (!isMap(group)) fail(offsetOf(group), 'a group must be a mapping');
      const g = group as YAMLMap;
      const nameNode: unknown = g.get('name', true);
      const name = scalarString(nameNode);
      if (!name) fail(offsetOf(group), 'group has no name');
      if (groupNames.has(name!)) {
        fail(
          offsetOf(nameNode),
          `group name '${name}' is repeated in the file`,
        );
      }
      groupNames.add(name!);
      const rules: unknown = g.get('rules', true);
      if (rules === undefined || (isScalar(rules) && rules.value === null)) {
        continue;
      }
      if (!isSeq(rules))
        fail(offsetOf(rules), `group '${name}': \`rules\` must be a list`);
      for (const rule of (rules as { items: Node[] }).items) {
        const parsed = readRule(rule, name!);
        if (parsed) result.alerts.push(parsed);
        else result.recordingRules++;
      }
    }
  }
  if (!sawRules && docList.some(d => d.contents !== null)) {
    // Only non-rule Kubernetes resources.
    fail(0, 'no rule groups: neither a rule file nor a PrometheusRule');
  }
  return result;

  function readRule(
    rule: Node,
    group: string,
  ): AlertRuleDefinition | undefined {
    if (!isMap(rule))
      fail(offsetOf(rule), `group '${group}': a rule must be a mapping`);
    const r = rule as YAMLMap;
    for (const item of r.items) {
      const key = scalarString(item.key);
      if (!key || !RULE_KEYS.has(key)) {
        fail(
          offsetOf(item.key),
          `group '${group}': unknown rule field '${key}'`,
        );
      }
    }
    const alertNode = r.get('alert', true);
    const recordNode = r.get('record', true);
    const alert = scalarString(alertNode);
    const record = scalarString(recordNode);
    const what = alert ? `alert '${alert}'` : `record '${record}'`;
    if (alert && record) {
      fail(
        offsetOf(rule),
        `group '${group}': a rule has both alert and record`,
      );
    }
    if (!alert && !record) {
      fail(
        offsetOf(rule),
        `group '${group}': a rule needs 'alert' or 'record'`,
      );
    }
    if (record && !METRIC_NAME.test(record)) {
      fail(offsetOf(recordNode), `${what}: invalid recording rule name`);
    }
    const exprNode = r.get('expr', true);
    const expr = scalarString(exprNode);
    if (!expr || expr.trim() === '') {
      fail(offsetOf(exprNode ?? rule), `${what}: field 'expr' must be set`);
    }
    const analysis = analyzePromql(expr!);
    if (!analysis.valid) {
      throw new RuleFileError(
        file,
        ...exprPosition(exprNode, expr!, analysis.error!.offset),
        `${what}: expr does not parse: ${analysis.error!.message}`,
      );
    }
    const labels = stringMap(r.get('labels', true), `${what}: labels`, true);
    const annotations = stringMap(
      r.get('annotations', true),
      `${what}: annotations`,
      false,
    );
    if (record) {
      if (r.has('for'))
        fail(
          offsetOf(r.get('for', true)),
          `${what}: 'for' is only for alerting rules`,
        );
      if (r.has('annotations')) {
        fail(
          offsetOf(r.get('annotations', true)),
          `${what}: annotations are only for alerting rules`,
        );
      }
      return undefined;
    }
    let forSeconds = 0;
    const forNode = r.get('for', true);
    if (forNode !== undefined) {
      const forText = scalarString(forNode);
      const seconds =
        forText === undefined ? undefined : parsePrometheusDuration(forText);
      if (seconds === undefined) {
        fail(
          offsetOf(forNode),
          `${what}: invalid 'for' duration '${forText ?? ''}'`,
        );
      }
      forSeconds = seconds!;
    }
    return {
      alert: alert!,
      expr: expr!,
      forSeconds,
      labels,
      annotations,
      group,
      file,
      line: lineCounter.linePos(offsetOf(rule) ?? 0).line,
      origin: 'rule file',
      analysis,
    };
  }

  /** Line and column in the file of an offset into an expression's value. */
  function exprPosition(
    node: Node,
    expr: string,
    offset: number,
  ): [number, number] {
    const at = Math.min(offset, Math.max(expr.trimEnd().length - 1, 0));
    const start = lineCounter.linePos(offsetOf(node) ?? 0);
    const type = (node as { type?: string }).type;
    const before = expr.slice(0, at);
    const newlines = before.match(/\n/g)?.length ?? 0;
    const colInLine = at - (before.lastIndexOf('\n') + 1);
    if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
      // The value starts on the line after the indicator, indented.
      const line = start.line + 1 + newlines;
      const valueLine = expr.split('\n')[newlines];
      const sourceLine = sourceLines[line - 1] ?? '';
      return [
        line,
        Math.max(sourceLine.length - (valueLine.length - colInLine), 0) + 1,
      ];
    }
    const quoted = type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE' ? 1 : 0;
    return [
      start.line + newlines,
      (newlines ? 0 : start.col - 1 + quoted) + colInLine + 1,
    ];
  }

  function stringMap(
    node: Node,
    what: string,
    labelNames: boolean,
  ): Record<string, string> {
    const out: Record<string, string> = {};
    if (node === undefined || (isScalar(node) && node.value === null))
      return out;
    if (!isMap(node)) fail(offsetOf(node), `${what} must be a mapping`);
    for (const item of (node as YAMLMap).items) {
      const key = scalarString(item.key);
      if (!key) fail(offsetOf(item.key), `${what}: empty name`);
      if (labelNames && !LABEL_NAME.test(key!)) {
        fail(offsetOf(item.key), `${what}: invalid label name '${key}'`);
      }
      const value = item.value === null ? '' : scalarString(item.value);
      if (value === undefined) {
        fail(offsetOf(item.value), `${what}: '${key}' must be a string`);
      }
      out[key!] = value!;
    }
    return out;
  }
}

function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') {
    // Keep the source text (e.g. `for: 5m` is a string anyway, `severity: 1`).
    return node.source ?? String(v);
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
