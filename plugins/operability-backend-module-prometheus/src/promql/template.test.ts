import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { EXAMPLES_DIR } from '../__testUtils__/demo';
import { parseRuleFile } from '../rules/parseRuleFile';
import {
  analyzePromql,
  analyzeTemplate,
  instantiateAnalysis,
  toTemplate,
} from './analyze';

function viaTemplate(expr: string) {
  const t = toTemplate(expr)!;
  return instantiateAnalysis(analyzeTemplate(t), t.literals);
}

const TRICKY = [
  'up{job="a"} == 0',
  `up{job='it\\'s', x="say \\"hi\\"", y=\`raw\\n\`} > 1`,
  'up{job="a"} or up{job="a"} or up{job="b"}',
  '{"service.name"="checkout", "http.route"=~"/api/.*"}',
  '{__name__="http_requests_total", job=~"a|b"}',
  '{"my.metric", job="x"}',
  'label_replace(up{job="a"}, "dst", "$1", "src", "(.*)") # a "comment" with \'quotes\'\n + on() up{job!="b"}',
  'sum(rate(http_requests_total{job="payments-api",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="payments-api"}[5m])) > (14.4 * 0.001)',
  'up{path="/a}{,b", job=~"x\\\\.y"}',
  'absent(up{job="a"} == 1)',
];

describe('PromQL templates', () => {
  it('empties string literals and keeps them aside', () => {
    expect(toTemplate(`up{job="a\\"b", x='c'} # "d"\n`)).toEqual({
      template: `up{job="", x=''} # "d"\n`,
      literals: ['"a\\"b"', "'c'"],
      starts: [7, 13],
    });
    expect(toTemplate('up{job="unterminated}')).toBeUndefined();
  });

  it.each(TRICKY)('gives the same analysis as a direct parse: %s', expr => {
    expect(viaTemplate(expr)).toEqual(analyzePromql(expr));
  });

  it('gives the same analysis for every expression of the example rule files', () => {
    let count = 0;
    for (const file of readdirSync(join(EXAMPLES_DIR, 'rules'))) {
      if (file === 'shipping-rates.yaml') continue;
      const parsed = parseRuleFile(
        readFileSync(join(EXAMPLES_DIR, 'rules', file), 'utf8'),
        file,
      );
      for (const rule of parsed.alerts) {
        expect(viaTemplate(rule.expr)).toEqual(rule.analysis);
        count++;
      }
    }
    expect(count).toBeGreaterThan(50);
  });

  it('shares one template between rules that differ only in values', () => {
    const a = toTemplate('up{job="svc-1"} == 0')!;
    const b = toTemplate('up{job="svc-2"} == 0')!;
    expect(a.template).toBe(b.template);
    const template = analyzeTemplate(a);
    expect(instantiateAnalysis(template, b.literals).matchers).toEqual([
      { name: 'job', op: '=', value: 'svc-2' },
    ]);
  });

  it('reports an invalid template (the caller then parses the expression itself)', () => {
    expect(analyzeTemplate(toTemplate('up{job="a"')!).valid).toBe(false);
  });
});
