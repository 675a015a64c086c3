import type { Condition, ConditionOperator } from '../types';
import {
  CONDITION_OPERATORS,
  compileCondition,
  evaluateCondition,
  formatPath,
  validateCondition,
} from './conditions';
import { FactRegistry, buildFactTable } from './factTable';
import { DAY, NOW, fact, factsOf } from './__testUtils__/facts';

const facts = factsOf({
  count: 3,
  ratio: 0.5,
  name: 'payments-api',
  lifecycle: 'production',
  tags: ['java', 'pci'],
  none: null,
  on: true,
  obj: { a: 1 },
});

function status(condition: Condition, maxFactAgeMs?: number) {
  return evaluateCondition(condition, facts, { now: NOW, maxFactAgeMs }).status;
}

const leaf = (
  f: string,
  operator: ConditionOperator,
  value?: unknown,
): Condition =>
  value === undefined ? { fact: f, operator } : { fact: f, operator, value };

const PASS = leaf('on', 'equal', true);
const FAIL = leaf('on', 'equal', false);
const UNKNOWN = leaf('never-collected', 'equal', 1);

describe('conditions', () => {
  describe('operators', () => {
    it.each<[ConditionOperator, string, unknown, string]>([
      ['equal', 'count', 3, 'pass'],
      ['equal', 'count', '3', 'fail'],
      ['equal', 'none', null, 'pass'],
      ['equal', 'tags', ['java', 'pci'], 'pass'],
      ['equal', 'obj', { a: 1 }, 'pass'],
      ['notEqual', 'lifecycle', 'experimental', 'pass'],
      ['notEqual', 'lifecycle', 'production', 'fail'],
      ['greaterThan', 'count', 2, 'pass'],
      ['greaterThan', 'count', 3, 'fail'],
      ['greaterThan', 'name', 1, 'fail'],
      ['greaterThanInclusive', 'count', 3, 'pass'],
      ['greaterThanInclusive', 'count', 4, 'fail'],
      ['lessThan', 'ratio', 0.6, 'pass'],
      ['lessThan', 'ratio', 0.5, 'fail'],
      ['lessThanInclusive', 'ratio', 0.5, 'pass'],
      ['lessThanInclusive', 'none', 1, 'fail'],
      ['in', 'lifecycle', ['production', 'staging'], 'pass'],
      ['in', 'lifecycle', ['experimental'], 'fail'],
      ['notIn', 'lifecycle', ['experimental'], 'pass'],
      ['notIn', 'lifecycle', ['production'], 'fail'],
      ['contains', 'tags', 'pci', 'pass'],
      ['contains', 'tags', 'go', 'fail'],
      ['contains', 'name', 'pay', 'pass'],
      ['contains', 'count', 3, 'fail'],
      ['contains', 'none', 'x', 'fail'],
      ['doesNotContain', 'tags', 'go', 'pass'],
      ['doesNotContain', 'tags', 'pci', 'fail'],
      ['doesNotContain', 'name', 'xyz', 'pass'],
      ['doesNotContain', 'none', 'x', 'pass'],
      ['doesNotContain', 'count', 3, 'fail'],
      ['matches', 'name', '^payments-', 'pass'],
      ['matches', 'name', '^orders-', 'fail'],
      ['matches', 'tags', '^pc', 'pass'],
      ['matches', 'count', '3', 'fail'],
      ['exists', 'name', undefined, 'pass'],
      ['exists', 'none', undefined, 'fail'],
      ['notExists', 'none', undefined, 'pass'],
      ['notExists', 'name', undefined, 'fail'],
    ])('%s: %s vs %p → %s', (operator, f, value, expected) => {
      expect(status(leaf(f, operator, value))).toBe(expected);
    });

    it('makes every operator unknown on a fact that was never collected', () => {
      for (const op of CONDITION_OPERATORS) {
        const values: Partial<Record<ConditionOperator, unknown>> = {
          exists: undefined,
          notExists: undefined,
          in: [1],
          notIn: [1],
          matches: 'x',
        };
        const value = op in values ? values[op] : 1;
        expect({
          op,
          status: status(leaf('never-collected', op, value)),
        }).toEqual({
          op,
          status: 'unknown',
        });
      }
    });

    it('compiles a RegExp once per condition, not per evaluation', () => {
      const spy = jest.spyOn(global, 'RegExp');
      const registry = new FactRegistry();
      const compiled = compileCondition(
        leaf('name', 'matches', '^pay'),
        registry,
      );
      const table = buildFactTable(registry, facts, NOW.getTime(), DAY);
      const before = spy.mock.calls.length;
      for (let i = 0; i < 5; i++) {
        expect(compiled.evaluate(table).status).toBe('pass');
      }
      expect(spy.mock.calls.length).toBe(before);
      spy.mockRestore();
    });
  });

  describe('three-valued logic', () => {
    it.each<[string, Condition, string]>([
      ['all pass', { all: [PASS, PASS] }, 'pass'],
      [
        'all with a fail and an unknown',
        { all: [PASS, UNKNOWN, FAIL] },
        'fail',
      ],
      ['all with an unknown', { all: [PASS, UNKNOWN] }, 'unknown'],
      ['any with a pass and an unknown', { any: [UNKNOWN, PASS] }, 'pass'],
      ['any with a fail and an unknown', { any: [FAIL, UNKNOWN] }, 'unknown'],
      ['any all fail', { any: [FAIL, FAIL] }, 'fail'],
      [
        'nested',
        { all: [PASS, { any: [FAIL, { all: [PASS, PASS] }] }] },
        'pass',
      ],
      ['nested unknown', { any: [FAIL, { all: [PASS, UNKNOWN] }] }, 'unknown'],
      ['nested fail', { all: [{ any: [FAIL, FAIL] }, UNKNOWN] }, 'fail'],
    ])('%s', (_name, condition, expected) => {
      expect(status(condition)).toBe(expected);
    });
  });

  describe('evidence and messages', () => {
    it('lists each leaf with its fact, value and comparison', () => {
      const outcome = evaluateCondition(
        {
          all: [
            leaf('count', 'greaterThan', 0),
            leaf('lifecycle', 'equal', 'production'),
          ],
        },
        facts,
        { now: NOW },
      );
      expect(outcome).toEqual({
        status: 'pass',
        message: 'every condition holds',
        evidence: [
          {
            kind: 'condition',
            text: 'count (3) greaterThan 0: pass',
            source: 'test',
          },
          {
            kind: 'condition',
            text: 'lifecycle ("production") equal "production": pass',
            source: 'test',
          },
        ],
      });
    });

    it('names the first failing leaf', () => {
      const outcome = evaluateCondition(
        { any: [leaf('count', 'lessThan', 1), leaf('none', 'exists')] },
        facts,
        { now: NOW },
      );
      expect(outcome.status).toBe('fail');
      expect(outcome.message).toBe(
        'condition not met: count (3) lessThan 1: fail',
      );
    });

    it('says which fact was never collected', () => {
      const outcome = evaluateCondition(UNKNOWN, facts, { now: NOW });
      expect(outcome).toEqual({
        status: 'unknown',
        message: 'fact never-collected was never collected',
        evidence: [
          {
            kind: 'condition',
            text: 'never-collected equal 1: unknown (never collected)',
          },
        ],
      });
    });

    it('treats a fact older than the maximum age as unknown, naming its age', () => {
      const old = factsOf(
        {},
        { count: fact(3, { ageMs: 2 * DAY + 3_600_000 }) },
      );
      const outcome = evaluateCondition(leaf('count', 'equal', 3), old, {
        now: NOW,
        maxFactAgeMs: DAY,
      });
      expect(outcome.status).toBe('unknown');
      expect(outcome.message).toBe(
        'fact count is 2d 1h old, older than the maximum of 1d',
      );
    });
  });

  describe('validation', () => {
    it('accepts a valid nested condition', () => {
      expect(
        validateCondition(
          {
            all: [
              { fact: 'a', operator: 'exists' },
              { any: [{ fact: 'b', operator: 'in', value: [1] }] },
            ],
          },
          { knownFacts: new Set(['a', 'b']) },
        ),
      ).toEqual([]);
    });

    it.each<[unknown, string, string]>([
      ['x', '', "expected an object with 'all', 'any' or 'fact'"],
      [{ all: [] }, 'all', 'must list at least one condition'],
      [{ all: {} }, 'all', 'expected a list of conditions'],
      [{ all: [PASS], extra: 1 }, 'extra', "unexpected key 'extra'"],
      [
        { all: [{ fact: 'on', operator: 'equalz', value: 1 }] },
        'all[0].operator',
        'expected one of',
      ],
      [
        { any: [PASS, { fact: '', operator: 'equal', value: 1 }] },
        'any[1].fact',
        'expected a fact name',
      ],
      [
        { fact: 'unknown.fact', operator: 'exists' },
        'fact',
        "unknown fact 'unknown.fact'",
      ],
      [
        { fact: 'on', operator: 'in', value: 'x' },
        'value',
        "'in' needs a list",
      ],
      [
        { fact: 'on', operator: 'greaterThan', value: '1' },
        'value',
        "'greaterThan' needs a number",
      ],
      [
        { fact: 'on', operator: 'matches', value: '(' },
        'value',
        'invalid regular expression',
      ],
      [
        { fact: 'on', operator: 'exists', value: 1 },
        'value',
        "'exists' takes no value",
      ],
      [{ fact: 'on', operator: 'equal' }, 'value', "'equal' needs a value"],
      [
        { fact: 'on', operator: 'contains', value: {} },
        'value',
        "'contains' needs a string",
      ],
      [
        { fact: 'on', operator: 'equal', value: 1, x: 2 },
        'x',
        "unexpected key 'x'",
      ],
    ])('%j → problem at %s', (raw, path, message) => {
      const issues = validateCondition(raw, { knownFacts: new Set(['on']) });
      expect(issues.length).toBeGreaterThan(0);
      expect(formatPath('', issues[0].path)).toBe(path);
      expect(issues[0].message).toContain(message);
    });

    it('refuses to compile an invalid condition, naming the path', () => {
      expect(() =>
        compileCondition(
          { all: [{ fact: 'a', operator: 'matches', value: '[' }] },
          new FactRegistry(),
        ),
      ).toThrow("Invalid condition at 'condition.all[0].value'");
    });
  });
});
