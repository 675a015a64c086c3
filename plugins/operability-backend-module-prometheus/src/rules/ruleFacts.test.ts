import { analyzePromql } from '../promql/analyze';
import { burnRateReason, toAlertRuleFact } from './ruleFacts';

const rule = (
  alert: string,
  expr: string,
  labels: Record<string, string> = {},
) => ({
  alert,
  labels,
  analysis: analyzePromql(expr),
});

describe('burn-rate heuristic', () => {
  it('recognises the burn factor × error budget shape', () => {
    expect(
      burnRateReason(
        rule(
          'HighErrors',
          'ratio_1h > (14.4 * 0.001) and ratio_5m > (14.4 * 0.001)',
        ),
      ),
    ).toBe('compares with burn factor 14.4 × error budget 0.001');
  });

  it('recognises SLO recording rules (Sloth, Pyrra)', () => {
    expect(
      burnRateReason(rule('X', 'slo:sli_error:ratio_rate5m{job="a"} > 0.0144')),
    ).toBe('reads SLO recording rule slo:sli_error:ratio_rate5m');
    expect(
      burnRateReason(rule('X', 'http_requests:burnrate5m{job="a"} > 0.1')),
    ).toMatch(/burnrate5m/);
  });

  it('recognises names and labels that mention burn rate', () => {
    expect(burnRateReason(rule('ErrorBudgetBurnRateFast', 'x > 1'))).toBe(
      'alert name mentions burn rate',
    );
    expect(
      burnRateReason(rule('Fast', 'x > 1', { slo_kind: 'burn-rate' })),
    ).toBe('label slo_kind="burn-rate" mentions burn rate');
  });

  it('leaves ordinary alerts alone', () => {
    expect(
      burnRateReason(
        rule('HighErrorRate', 'sum(rate(e[5m])) / sum(rate(r[5m])) > 0.05'),
      ),
    ).toBeUndefined();
    expect(
      burnRateReason(
        rule('Stale', 'time() - max(t) > 3 * 86400', { slo: 'true' }),
      ),
    ).toBeUndefined();
  });
});

describe('toAlertRuleFact', () => {
  it('produces the AlertRuleFact shape', () => {
    expect(
      toAlertRuleFact({
        alert: 'A',
        expr: 'up == 0',
        forSeconds: 60,
        labels: { severity: 'critical' },
        annotations: { runbook_url: 'https://r', summary: 's' },
        group: 'g',
        file: 'f.yaml',
        origin: 'rule file',
        analysis: analyzePromql('up == 0'),
      }),
    ).toEqual({
      alert: 'A',
      file: 'f.yaml',
      group: 'g',
      severity: 'critical',
      runbookUrl: 'https://r',
      forSeconds: 60,
      burnRate: false,
      labels: { severity: 'critical' },
    });
  });
});
