import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type {
  OnCallShifts,
  ScorecardRow,
  TeamRollup,
} from '@opsready/plugin-operability-common';
import { entityRefOf } from '@opsready/plugin-operability-common';
import express from 'express';
import { csvRow } from '../exports/csv';
import { CalendarEvent, formatCalendar, formatUtc } from '../exports/ical';
import type { ScheduleOnCall } from '../oncall/ScheduleOnCall';
import type { CatalogSnapshot } from '../ownership/CatalogSnapshot';
import { createOpenApiRouter } from '../schema/router';
import type { OperabilityQueries } from './queries';
import { requestedEntity } from './requestInputs';
import {
  parseInput,
  scorecardsCsvQuerySchema,
  shiftsIcsQuerySchema,
  teamsCsvQuerySchema,
} from './validation';

export interface ExportsRouterOptions {
  httpAuth: HttpAuthService;
  queries: OperabilityQueries;
  snapshot: CatalogSnapshot;
  scheduleOnCall: ScheduleOnCall;
  /** Rows asked from the store per page of the CSV (default 500). */
  csvPageSize?: number;
}

const WEEK_MS = 7 * 86_400_000;

/** The columns of `GET /v1/scorecards.csv`. */
export const SCORECARDS_CSV_COLUMNS = [
  'entity_ref',
  'title',
  'owner',
  'on_call_primary',
  'score',
  'level',
  'failing_checks',
];

/** The columns of `GET /v1/teams.csv`. */
export const TEAMS_CSV_COLUMNS = [
  'team',
  'title',
  'services',
  'average_score',
  'none',
  'bronze',
  'silver',
  'gold',
  'most_failed_checks',
];

function scorecardCells(row: ScorecardRow) {
  return [
    row.entityRef,
    row.title,
    row.owner.ref ?? row.owner.declared,
    row.onCall?.primary?.ref,
    row.score,
    row.level,
    (row.failedChecks ?? []).join(' '),
  ];
}

function teamCells(team: TeamRollup) {
  return [
    team.ref,
    team.title,
    team.services,
    team.averageScore,
    team.levels.none,
    team.levels.bronze,
    team.levels.silver,
    team.levels.gold,
    team.mostFailedChecks.map(c => `${c.id}:${c.failing}`).join(' '),
  ];
}

function attachment(res: express.Response, type: string, filename: string) {
  res.status(200);
  res.setHeader('Content-Type', `${type}; charset=utf-8`);
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

/**
 * Writes a chunk, waiting while the client's socket is full; false once the
 * client has gone (the export then stops).
 */
function write(res: express.Response, chunk: string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise(resolve => {
    const listeners = {
      drain: () => settle(true),
      close: () => settle(false),
    };
    function settle(open: boolean) {
      res.off('drain', listeners.drain);
      res.off('close', listeners.close);
      resolve(open);
    }
    res.on('drain', listeners.drain);
    res.on('close', listeners.close);
  });
}

/** `2026-03-02`, for file names. */
const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The exports of the design's "Exports and links": the services table and
 * the team roll-up as CSV, and a rotation's next shifts as iCalendar. The
 * same validation and the same catalog visibility as the JSON routes.
 */
export async function createExportsRouter(
  options: ExportsRouterOptions,
): Promise<express.Router> {
  const { httpAuth, queries, snapshot, scheduleOnCall } = options;
  const router = createOpenApiRouter();

  router.get('/v1/scorecards.csv', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = parseInput(
      scorecardsCsvQuerySchema,
      req.query,
      'query parameter',
    );
    const pages = queries.allScorecards(
      query,
      credentials,
      options.csvPageSize,
    );
    // The first page is read before the headers go out, so that a failure
    // of the store is still an error answer, not a cut file.
    let next = await pages.next();
    attachment(res, 'text/csv', `scorecards-${day(new Date())}.csv`);
    if (!(await write(res, csvRow(SCORECARDS_CSV_COLUMNS)))) return;
    while (!next.done) {
      const chunk = next.value.map(row => csvRow(scorecardCells(row)));
      if (!(await write(res, chunk.join('')))) {
        await pages.return(undefined);
        return;
      }
      next = await pages.next();
    }
    res.end();
  });

  router.get('/v1/teams.csv', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    parseInput(teamsCsvQuerySchema, req.query, 'query parameter');
    const teams = await queries.teams(credentials);
    attachment(res, 'text/csv', `teams-${day(new Date())}.csv`);
    res.end([TEAMS_CSV_COLUMNS, ...teams.map(teamCells)].map(csvRow).join(''));
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/on-call/shifts.ics',
    async (req, res) => {
      const { weeks } = parseInput(
        shiftsIcsQuerySchema,
        req.query,
        'query parameter',
      );
      const { entity } = await requestedEntity(req, httpAuth, queries);
      const now = new Date();
      const current = await snapshot.get();
      const found = shiftsFor(
        now,
        new Date(now.getTime() + weeks * WEEK_MS),
        (from, count) => scheduleOnCall.shifts(entity, current, from, count),
      );
      if (!found) {
        throw new NotFoundError(
          `No valid on-call schedule in the catalog covers ${entityRefOf(
            entity,
          )}`,
        );
      }
      const schedule = current.schedules.get(found.scheduleRef);
      const timeZone =
        (schedule?.spec?.timeZone as string | undefined) ?? 'UTC';
      const entityName = entity.metadata.title ?? entity.metadata.name;
      const events = found.shifts.map(shift =>
        shiftEvent(shift, {
          entityRef: entityRefOf(entity),
          entityName,
          scheduleRef: found.scheduleRef,
          timeZone,
        }),
      );
      attachment(res, 'text/calendar', `on-call-${entity.metadata.name}.ics`);
      res.end(
        formatCalendar({
          name: `On call: ${entityName}`,
          timeZone,
          events,
          now,
        }),
      );
    },
  );

  return router;
}

type ShiftOf = OnCallShifts['shifts'][number];

/**
 * The primary and secondary shifts that begin before `until`, asking the
 * schedule for more shifts until both roles reach it (or it has no more).
 */
export function shiftsFor(
  from: Date,
  until: Date,
  shifts: (from: Date, count: number) => OnCallShifts | null,
): OnCallShifts | null {
  const weeks = Math.ceil((until.getTime() - from.getTime()) / WEEK_MS);
  const MAX_COUNT = 2_000;
  for (let count = weeks * 2 + 2; ; count *= 2) {
    const answer = shifts(from, Math.min(count, MAX_COUNT));
    if (!answer) return null;
    const paged = answer.shifts.filter(s => s.role !== 'shadow');
    const enough = (['primary', 'secondary'] as const).every(role => {
      const ofRole = paged.filter(s => s.role === role);
      const last = ofRole[ofRole.length - 1];
      return (
        ofRole.length < count ||
        !last ||
        Date.parse(last.end) >= until.getTime()
      );
    });
    if (enough || count >= MAX_COUNT) {
      return {
        scheduleRef: answer.scheduleRef,
        shifts: paged.filter(s => Date.parse(s.start) < until.getTime()),
      };
    }
  }
}

function shiftEvent(
  shift: ShiftOf,
  context: {
    entityRef: string;
    entityName: string;
    scheduleRef: string;
    timeZone: string;
  },
): CalendarEvent {
  const start = new Date(shift.start);
  let end = new Date(shift.end);
  // "Until further notice": a year, which calendars can show.
  if (end.getFullYear() > 9999) {
    end = new Date(start.getTime() + 52 * WEEK_MS);
  }
  const who = shift.person.title ?? shift.person.ref;
  const role = shift.role === 'primary' ? 'Primary' : 'Secondary';
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: context.timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return {
    uid: `${context.scheduleRef}/${shift.role}/${formatUtc(start)}@operability`,
    start,
    end,
    summary: `${role} on call: ${who} (${context.entityName})`,
    description: [
      `${role} on call for ${context.entityRef}: ${who}${
        shift.person.email ? ` <${shift.person.email}>` : ''
      }${shift.override ? ' (an override)' : ''}.`,
      `Schedule ${context.scheduleRef}, time zone ${context.timeZone}:`,
      `from ${local.format(start)} to ${local.format(end)} ${
        context.timeZone
      } time.`,
    ].join('\n'),
  };
}
