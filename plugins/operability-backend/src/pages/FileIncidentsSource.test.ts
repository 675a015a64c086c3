import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseCsv } from './csv';
import {
  FileIncidentsSource,
  parseTime,
  readIncidentRows,
  weekStart,
} from './FileIncidentsSource';

const component = (
  name: string,
  annotations: Record<string, string> = {},
  title?: string,
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations,
    ...(title ? { title } : {}),
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team' },
});

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and line breaks, CRLF and a BOM', () => {
    const text =
      '\ufeffid,description\r\n1,"Disk full, again"\r\n2,"He said ""no"""\n\n3,"two\nlines"\n4,last';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['id', 'description'] },
      { line: 2, fields: ['1', 'Disk full, again'] },
      { line: 3, fields: ['2', 'He said "no"'] },
      { line: 5, fields: ['3', 'two\nlines'] },
      { line: 7, fields: ['4', 'last'] },
    ]);
  });

  it('refuses an unclosed quote, naming its line', () => {
    expect(() => parseCsv('id\n"open')).toThrow(
      'line 2: a quoted field is not closed',
    );
  });
});

describe('parseTime', () => {
  const anchor = new Date('2026-11-30T00:00:00Z');
  it('reads instants with a zone, and signed durations from the anchor', () => {
    expect(parseTime('2026-03-02T03:12:00Z', anchor)).toEqual(
      new Date('2026-03-02T03:12:00Z'),
    );
    expect(parseTime('2026-03-02T04:12:00+01:00', anchor)).toEqual(
      new Date('2026-03-02T03:12:00Z'),
    );
    expect(parseTime('2026-03-02 04:12:00 +0100', anchor)).toEqual(
      new Date('2026-03-02T03:12:00Z'),
    );
    expect(parseTime('-P3DT4H', anchor)).toEqual(
      new Date('2026-11-26T20:00:00Z'),
    );
    expect(parseTime('P1DT9H30M', anchor)).toEqual(
      new Date('2026-12-01T09:30:00Z'),
    );
  });

  it('refuses local times without a zone and nonsense', () => {
    expect(parseTime('2026-03-02T03:12:00', anchor)).toBeUndefined();
    expect(parseTime('yesterday', anchor)).toBeUndefined();
    expect(parseTime('-Pnope', anchor)).toBeUndefined();
  });

  it('anchors relative times at Monday 00:00 UTC of the current week', () => {
    expect(weekStart(new Date('2026-11-30T06:34:00Z'))).toEqual(
      new Date('2026-11-30T00:00:00Z'),
    );
    expect(weekStart(new Date('2026-12-06T23:59:00Z'))).toEqual(
      new Date('2026-11-30T00:00:00Z'),
    );
  });
});

describe('readIncidentRows', () => {
  const now = new Date('2026-11-30T06:00:00Z');
  it('reads the documented columns and ignores the others', () => {
    const rows = readIncidentRows(
      [
        'id,incident_number,description,service_id,service_name,urgency,created_on,acknowledged_on,resolved_on,seconds_to_first_ack,seconds_to_resolve,escalation_count',
        'Q1,101,Checkout errors,PCHK,checkout-api,high,2026-11-02T03:00:00Z,2026-11-02T03:04:00Z,2026-11-02T04:00:00Z,,,1',
        'Q2,102,Latency,,cart-service,low,-P2DT2H,,,300,1800,0',
      ].join('\n'),
      'x.csv',
      now,
    );
    expect(rows).toEqual([
      {
        id: 'Q1',
        at: new Date('2026-11-02T03:00:00Z'),
        title: 'Checkout errors',
        serviceId: 'PCHK',
        serviceName: 'checkout-api',
        acknowledgedAt: new Date('2026-11-02T03:04:00Z'),
        resolvedAt: new Date('2026-11-02T04:00:00Z'),
      },
      {
        id: 'Q2',
        at: new Date('2026-11-27T22:00:00Z'),
        title: 'Latency',
        serviceName: 'cart-service',
        acknowledgedAt: new Date('2026-11-27T22:05:00Z'),
        resolvedAt: new Date('2026-11-27T22:30:00Z'),
      },
    ]);
  });

  it('names the missing columns', () => {
    expect(() =>
      readIncidentRows('description,urgency\nx,high', 'x.csv', now),
    ).toThrow(
      'x.csv: the header has no column id (or incident_number), created_on, service_id or service_name (it has description, urgency)',
    );
  });

  it('names the file and line of a bad value', () => {
    expect(() =>
      readIncidentRows(
        'id,service_name,created_on\n1,a,2026-11-02T03:00:00Z\n2,a,last tuesday',
        'x.csv',
        now,
      ),
    ).toThrow(
      "x.csv:3: created_on 'last tuesday' is neither an ISO-8601 instant with a zone nor a duration such as -P3DT4H",
    );
    expect(() =>
      readIncidentRows('id,service_name,created_on\n1,,-P1D', 'x.csv', now),
    ).toThrow('x.csv:2: the row names no service');
  });
});

describe('FileIncidentsSource', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'operability-incidents-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('maps rows to entities by service id annotation, name or title, within [since, until)', async () => {
    const path = join(dir, 'export.csv');
    writeFileSync(
      path,
      [
        'id,description,service_id,service_name,created_on,resolved_on',
        'A,by id,PLDG,Ledger (PagerDuty name),2026-11-10T10:00:00Z,2026-11-10T11:00:00Z',
        'B,by name,,payments-api,2026-11-11T10:00:00Z,',
        'C,by title,,Cart Service,2026-11-12T10:00:00Z,',
        'D,before since,,payments-api,2026-10-01T10:00:00Z,',
        'E,at until,,payments-api,2026-11-20T00:00:00Z,',
        'F,nobody,,ghost,2026-11-12T10:00:00Z,',
      ].join('\n'),
    );
    const source = new FileIncidentsSource({
      files: [{ path, serviceAnnotation: 'pagerduty.com/service-id' }],
    });
    const entities = [
      component('ledger', { 'pagerduty.com/service-id': 'PLDG' }),
      component('payments-api'),
      component('cart', {}, 'Cart Service'),
    ];
    expect(source.covers(entities[0])).toBe(true);
    const batch = await source.collect({
      entities,
      since: new Date('2026-11-01T00:00:00Z'),
      until: new Date('2026-11-20T00:00:00Z'),
    });
    expect(batch.pages).toEqual([
      {
        id: 'export.csv:A',
        entityRef: 'component:default/ledger',
        at: '2026-11-10T10:00:00.000Z',
        title: 'by id',
        resolvedAt: '2026-11-10T11:00:00.000Z',
      },
      {
        id: 'export.csv:B',
        entityRef: 'component:default/payments-api',
        at: '2026-11-11T10:00:00.000Z',
        title: 'by name',
      },
      {
        id: 'export.csv:C',
        entityRef: 'component:default/cart',
        at: '2026-11-12T10:00:00.000Z',
        title: 'by title',
      },
    ]);
  });

  it('fails on a missing file, naming it', async () => {
    const source = new FileIncidentsSource({
      files: [{ path: join(dir, 'nope.csv'), serviceAnnotation: 'x' }],
    });
    await expect(
      source.collect({ entities: [], since: new Date(0), until: new Date() }),
    ).rejects.toThrow(/Cannot read the incident export .*nope\.csv/);
  });
});
