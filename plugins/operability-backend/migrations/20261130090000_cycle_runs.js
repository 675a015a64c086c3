// @ts-check

/**
 * How long recent full readiness cycles took: the scheduler's lock timeout
 * for the cycle follows them, so a replica killed mid-cycle holds the lock
 * for a few cycle lengths rather than minutes.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('operability_cycle_runs', table => {
    table.comment('Durations of the newest full readiness cycles');
    table.bigIncrements('id').primary();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.integer('duration_ms').notNullable();
    table.integer('entities').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('operability_cycle_runs');
};
