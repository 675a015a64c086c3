import { parser } from '@prometheus-io/lezer-promql';
import { parsePrometheusDuration, unquotePromqlString } from './strings';

/** A label matcher operator, as in PromQL and Alertmanager. */
export type MatchOp = '=' | '!=' | '=~' | '!~';

/** One label matcher of a vector selector. */
export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

/** A vector selector (also the inside of a matrix selector). */
export interface Selector {
  /** The metric name, from the identifier or a `__name__="…"` matcher. */
  metric?: string;
  matchers: LabelMatcher[];
}

/** What the module needs to know about one PromQL expression. */
export interface PromqlAnalysis {
  /** False when the expression does not parse. */
  valid: boolean;
  /** Where parsing failed (offset into the expression) and why. */
  error?: { offset: number; message: string };
  /**
   * The `=` and `=~` label matchers of every vector selector, without
   * repeats, in order. (`!=` and `!~` are not kept: they never select a
   * service, and the analysis of 50,000 rules stays small.)
   */
  matchers: LabelMatcher[];
  /** The metric names the expression reads, without repeats, in order. */
  metrics: string[];
  /**
   * The first comparison of the shape `… > (factor * budget)` where both are
   * constants, factor ≥ 1 and 0 < budget < 1: a burn factor times an error
   * budget, as multi-window burn-rate alerts are written.
   */
  burnFactor?: { factor: number; budget: number };
}

/** A node of the lezer syntax tree (typed without importing @lezer/common). */
type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

const MATCH_OPS: Record<string, MatchOp> = {
  EqlSingle: '=',
  Neq: '!=',
  EqlRegex: '=~',
  NeqRegex: '!~',
};

/** Parses a PromQL number literal (decimal, hex, Inf/NaN, or a duration as seconds). */
export function parseNumberLiteral(text: string): number | undefined {
  const s = text.replace(/_/g, '');
  if (/^[+-]?inf$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s, 16);
  const n = Number(s);
  if (s !== '' && !Number.isNaN(n)) return n;
  return parsePrometheusDuration(s);
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** The value of a constant sub-expression (numbers and arithmetic only). */
function constValue(node: SyntaxNode, expr: string): number | undefined {
  switch (node.name) {
    case 'NumberDurationLiteral':
      return parseNumberLiteral(expr.slice(node.from, node.to));
    case 'ParenExpr': {
      const inner = node.firstChild;
      return inner ? constValue(inner, expr) : undefined;
    }
    case 'UnaryExpr': {
      const [op, operand] = children(node);
      if (!operand) return undefined;
      const v = constValue(operand, expr);
      if (v === undefined) return undefined;
      return expr.slice(op.from, op.to) === '-' ? -v : v;
    }
    case 'BinaryExpr': {
      const parts = children(node);
      if (parts.length < 3) return undefined;
      const a = constValue(parts[0], expr);
      const b = constValue(parts[parts.length - 1], expr);
      if (a === undefined || b === undefined) return undefined;
      switch (parts[1].name) {
        case 'Add':
          return a + b;
        case 'Sub':
          return a - b;
        case 'Mul':
          return a * b;
        case 'Div':
          return a / b;
        case 'Mod':
          return a % b;
        case 'Pow':
          return a ** b;
        default:
          return undefined;
      }
    }
    default:
      return undefined;
  }
}

function stripParens(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.name === 'ParenExpr' && n.firstChild) n = n.firstChild;
  return n;
}

/** `factor * budget` with constant factor ≥ 1 and 0 < budget < 1. */
function burnProduct(
  node: SyntaxNode,
  expr: string,
): { factor: number; budget: number } | undefined {
  const n = stripParens(node);
  if (n.name !== 'BinaryExpr') return undefined;
  const parts = children(n);
  if (parts.length < 3 || parts[1].name !== 'Mul') return undefined;
  const a = constValue(parts[0], expr);
  const b = constValue(parts[parts.length - 1], expr);
  if (a === undefined || b === undefined) return undefined;
  const isBudget = (v: number) => v > 0 && v < 1;
  const isFactor = (v: number) => v >= 1 && Number.isFinite(v);
  if (isFactor(a) && isBudget(b)) return { factor: a, budget: b };
  if (isFactor(b) && isBudget(a)) return { factor: b, budget: a };
  return undefined;
}

/** Reads a StringLiteral node's value. */
type LiteralReader = (node: SyntaxNode) => string;

/** One vector selector's metric name and label matchers. */
export function readSelector(
  node: SyntaxNode,
  expr: string,
  literal: LiteralReader = n => unquotePromqlString(expr.slice(n.from, n.to)),
): Selector {
  const selector: Selector = { matchers: [] };
  const ident = node.getChild('Identifier');
  if (ident) selector.metric = expr.slice(ident.from, ident.to);
  const matchers = node.getChild('LabelMatchers');
  for (const m of matchers ? children(matchers) : []) {
    if (m.name === 'QuotedLabelName') {
      // A lone quoted name in braces is the metric name: {"my.metric"}.
      const lit = m.getChild('StringLiteral');
      if (lit) selector.metric = literal(lit);
      continue;
    }
    if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') {
      continue;
    }
    let name: string | undefined;
    const labelName = m.getChild('LabelName');
    if (labelName) {
      name = expr.slice(labelName.from, labelName.to);
    } else {
      const quoted = m.getChild('QuotedLabelName')?.getChild('StringLiteral');
      if (quoted) name = literal(quoted);
    }
    const opNode = m.getChild('MatchOp')?.firstChild;
    const literals = m.getChildren('StringLiteral');
    const valueNode = literals[literals.length - 1];
    const op = opNode ? MATCH_OPS[opNode.name] : undefined;
    if (name === undefined || !op || !valueNode) continue;
    const value = literal(valueNode);
    selector.matchers.push({ name, op, value });
    if (name === '__name__' && op === '=') selector.metric = value;
  }
  return selector;
}

/**
 * Parses a PromQL expression with `@prometheus-io/lezer-promql`, walks the
 * syntax tree for VectorSelector nodes (MatrixSelector wraps one) and
 * collects their label matchers and metric names, and the burn-rate shape.
 * The parser is error-tolerant, so the whole tree is checked for error nodes;
 * an expression with one is `valid: false` (its matchers are still returned,
 * as far as they could be read).
 */
export function analyzePromql(
  expr: string,
  literal?: LiteralReader,
): PromqlAnalysis {
  const tree = parser.parse(expr);
  const analysis: PromqlAnalysis = { valid: true, matchers: [], metrics: [] };
  const seen = new Set<string>();
  const cursor = tree.cursor();
  do {
    const type = cursor.type;
    if (type.isError) {
      if (analysis.valid) {
        const near = expr.slice(cursor.from, cursor.from + 20);
        analysis.valid = false;
        analysis.error = {
          offset: cursor.from,
          message: near
            ? `unexpected input near '${near}'`
            : 'unexpected end of expression',
        };
      }
      continue;
    }
    if (type.name === 'VectorSelector') {
      const selector = readSelector(cursor.node, expr, literal);
      if (
        selector.metric !== undefined &&
        !analysis.metrics.includes(selector.metric)
      ) {
        analysis.metrics.push(selector.metric);
      }
      for (const m of selector.matchers) {
        if (m.op !== '=' && m.op !== '=~') continue;
        const key = `${m.name}\u0000${m.op}\u0000${m.value}`;
        if (seen.has(key)) continue;
        seen.add(key);
        analysis.matchers.push(m);
      }
    } else if (type.name === 'BinaryExpr' && !analysis.burnFactor) {
      const parts = children(cursor.node);
      if (parts.length >= 3) {
        const op = parts[1].name;
        let burn;
        if (op === 'Gtr' || op === 'Gte') {
          burn = burnProduct(parts[parts.length - 1], expr);
        } else if (op === 'Lss' || op === 'Lte') {
          burn = burnProduct(parts[0], expr);
        }
        if (burn) analysis.burnFactor = burn;
      }
    }
  } while (cursor.next());
  if (expr.trim() === '') {
    analysis.valid = false;
    analysis.error = { offset: 0, message: 'empty expression' };
  }
  return analysis;
}

/**
 * An expression with the contents of its string literals taken out:
 * `up{job="a"} > 1` → `up{job=""} > 1` and `["\"a\""]`. Rules generated
 * per service (Sloth, Pyrra, mixins) differ only in their literals, so their
 * templates repeat and one lezer parse serves them all.
 */
export interface PromqlTemplate {
  template: string;
  /** The literals, as written (with quotes), in order. */
  literals: string[];
  /** Where each emptied literal starts in the template. */
  starts: number[];
}

/**
 * Splits out the string literals (double, single and back quotes; Go
 * escapes in the first two) and skips `#` comments. Undefined when a string
 * is not terminated (the caller parses the expression itself).
 */
export function toTemplate(expr: string): PromqlTemplate | undefined {
  let template = '';
  let last = 0;
  const literals: string[] = [];
  const starts: number[] = [];
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '#') {
      const nl = expr.indexOf('\n', i);
      i = nl === -1 ? expr.length : nl;
      continue;
    }
    if (c !== '"' && c !== "'" && c !== '`') continue;
    let j = i + 1;
    while (j < expr.length && expr[j] !== c) {
      if (c !== '`' && expr[j] === '\\') j++;
      j++;
    }
    if (j >= expr.length) return undefined;
    template += expr.slice(last, i);
    starts.push(template.length);
    template += c + c;
    literals.push(expr.slice(i, j + 1));
    last = j + 1;
    i = j;
  }
  template += expr.slice(last);
  return { template, literals, starts };
}

const MARK = '\u0000';

/**
 * Analyses a template: literal values are markers (`\u0000<index>`) that
 * {@link instantiateAnalysis} replaces with the literals of each expression.
 */
export function analyzeTemplate(t: PromqlTemplate): PromqlAnalysis {
  const index = new Map(t.starts.map((start, i) => [start, i]));
  return analyzePromql(t.template, node => {
    const i = index.get(node.from);
    // Every literal of a template is emptied, so the index is always found.
    return i === undefined ? '' : `${MARK}${i}`;
  });
}

/** The analysis of one expression from its template's analysis and its literals. */
export function instantiateAnalysis(
  template: PromqlAnalysis,
  literals: string[],
): PromqlAnalysis {
  const resolve = (s: string) =>
    s.startsWith(MARK) ? unquotePromqlString(literals[Number(s.slice(1))]) : s;
  const out: PromqlAnalysis = {
    valid: template.valid,
    matchers: [],
    metrics: [],
  };
  if (template.error) out.error = template.error;
  if (template.burnFactor) out.burnFactor = template.burnFactor;
  const seen = new Set<string>();
  const addMetric = (m: string) => {
    if (!out.metrics.includes(m)) out.metrics.push(m);
  };
  for (const m of template.metrics) addMetric(resolve(m));
  for (const m of template.matchers) {
    const name = resolve(m.name);
    const value = resolve(m.value);
    const key = `${name}${MARK}${m.op}${MARK}${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.matchers.push({ name, op: m.op, value });
    if (name === '__name__' && m.op === '=') addMetric(value);
  }
  return out;
}
