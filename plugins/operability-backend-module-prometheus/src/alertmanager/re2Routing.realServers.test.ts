/**
 * Our Alertmanager routing against amtool's (Debian package
 * `prometheus-alertmanager`) on routes whose regexes are RE2-only syntax or
 * backtrack catastrophically in JavaScript's RegExp: for each label set,
 * `amtool config routes test` prints the receivers and must agree with ours.
 * Without amtool the suite is skipped with a printed reason (see
 * `realBinariesGate`).
 */
import { execFile } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { promisify } from 'util';
import { BINARIES, realBinariesGate } from '../__testUtils__/binaries';
import { parseAlertmanagerConfig } from './config';
import { resolveReceivers } from './routing';

const execFileAsync = promisify(execFile);
const CONFIG_FILE = join(__dirname, '__fixtures__/re2-routes.yml');

// 10× the lengths that froze the backend with backtracking RegExp.
const as = 'a'.repeat(440);
const xs = 'x'.repeat(320);

const table: [string, Record<string, string>][] = [
  ['(a|aa)+b on 440 a’s: no match', { job: as }],
  ['(a|aa)+b on 440 a’s and a b: match', { job: `${as}b` }],
  ['match_re (x+x+)+y on 320 x’s: no match', { job: xs }],
  ['match_re (x+x+)+y on 320 x’s and a y: match', { job: `${xs}y` }],
  [
    '(?i) and [[:^digit:]]: critical pages',
    { severity: 'CRITICAL', service: 'checkout' },
  ],
  ['[[:^digit:]] rejects a digit', { severity: 'crit', service: 'checkout2' }],
  ['\\pL+ and \\p{Greek}+', { team: 'Zürich', region: 'αβγ' }],
  ['\\p{Greek}+ rejects Latin', { team: 'Zürich', region: 'abc' }],
  ['[[:alpha:]]+\\PL', { team: 'payments', env: 'prod2' }],
  ['[[:alpha:]]+\\PL rejects a letter', { team: 'payments', env: 'prod' }],
  [
    '\\pL+ rejects a digit; \\Q…\\E is literal',
    { team: 'payments-1', cluster: 'eu.west-1' },
  ],
  ['\\Q…\\E: the dot is not a wildcard', { cluster: 'euxwest-1' }],
  ['no labels: default route', {}],
];

const gate = realBinariesGate(['amtool']);
(gate.run ? describe : describe.skip)(
  'RE2 routing against the real amtool',
  () => {
    const config = parseAlertmanagerConfig(
      readFileSync(CONFIG_FILE, 'utf8'),
      CONFIG_FILE,
    );

    it.each(table)('routes like amtool: %s', async (_name, labels) => {
      const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
      const ours = resolveReceivers(config, labels).join(',');
      const { stdout } = await execFileAsync(BINARIES.amtool, [
        'config',
        'routes',
        'test',
        `--config.file=${CONFIG_FILE}`,
        ...args,
      ]);
      expect(ours).toBe(stdout.trim());
      // And amtool agrees when told what to expect (it exits 1 otherwise).
      await execFileAsync(BINARIES.amtool, [
        'config',
        'routes',
        'test',
        `--config.file=${CONFIG_FILE}`,
        `--verify.receivers=${ours}`,
        ...args,
      ]);
    });
  },
);
