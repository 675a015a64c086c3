// @ts-check

/**
 * Hand-off reports (`operability.onCall.handoffReports`):
 *
 * - `operability_handoff_cursors`: per Schedule, the last hand-off the
 *   report task handled (or when it first saw the schedule), and the state
 *   of the covered services then (each one's level and failing checks), which
 *   the next hand-off's report compares with. `version` makes each advance a
 *   compare-and-set, so a hand-off is reported once whichever replica runs
 *   the task and however often it restarts.
 * - `operability_handoff_reports`: the reports, one per schedule and
 *   hand-off, and when the notification went out (null until it did: the
 *   task sends it again on its next run).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('operability_handoff_cursors', table => {
    table.comment(
      'Per schedule: the last hand-off reported, and the state then',
    );
    table.string('schedule_ref', 512).primary();
    table
      .timestamp('handed_off_at', { useTz: true })
      .notNullable()
      .comment(
        'The last hand-off handled, or when the schedule was first seen',
      );
    table
      .text('baseline')
      .notNullable()
      .comment(
        'JSON: { at, entities: { [ref]: { level, fail: checkId[] } } } at that time',
      );
    table.integer('version').notNullable().defaultTo(0);
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('operability_handoff_reports', table => {
    table.comment('Hand-off reports, one per schedule and hand-off');
    table.string('schedule_ref', 512).notNullable();
    table
      .timestamp('handed_off_at', { useTz: true })
      .notNullable()
      .comment("The hand-off: the incoming primary's shift starts");
    table.text('report').notNullable().comment('JSON: the HandoffReport');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table
      .timestamp('notified_at', { useTz: true })
      .nullable()
      .comment('When the notification was sent; null: not yet');
    table.primary(['schedule_ref', 'handed_off_at']);
    table.index(['handed_off_at'], 'operability_handoff_reports_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('operability_handoff_reports');
  await knex.schema.dropTable('operability_handoff_cursors');
};
