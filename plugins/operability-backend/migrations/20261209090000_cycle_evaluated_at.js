// @ts-check

/**
 * The evaluation time of the latest full readiness cycle, once, instead of
 * on every report: a full cycle evaluates every entity, and updating every
 * report's `evaluated_at` rewrote every row (100,000 of them at that scale)
 * even when nothing changed. A report's evaluation time is now the later of
 * its own `evaluated_at` (set when it is written or refreshed) and this one.
 * Existing rows keep their times; nothing to convert.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('operability_cycle_state', table => {
    table.comment(
      'One row (id 1): when the latest full readiness cycle evaluated every entity',
    );
    table.integer('id').primary();
    table
      .timestamp('evaluated_at', { useTz: true })
      .notNullable()
      .comment(
        "The cycle's evaluation time; a report's is the later of this and its own",
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  // Every report gets the time it had, so that nothing reads older.
  const state = await knex('operability_cycle_state').where({ id: 1 }).first();
  if (state) {
    await knex('operability_reports')
      .where('evaluated_at', '<', state.evaluated_at)
      .update({ evaluated_at: state.evaluated_at });
  }
  await knex.schema.dropTable('operability_cycle_state');
};
