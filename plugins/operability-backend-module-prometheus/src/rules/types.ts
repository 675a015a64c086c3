import type { PromqlAnalysis } from '../promql/analyze';

/** An alerting rule, from a rule file or from Prometheus' rules API. */
export interface AlertRuleDefinition {
  alert: string;
  expr: string;
  /** `for`, in seconds (0 when absent). */
  forSeconds: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  group: string;
  /** The rule file: a repository URL or path, or the path on the Prometheus server. */
  file: string;
  /** Line of the rule in its file, when read from a file. */
  line?: number;
  /** Where it was read: `rule file` or `prometheus <instance name>`. */
  origin: string;
  analysis: PromqlAnalysis;
}
