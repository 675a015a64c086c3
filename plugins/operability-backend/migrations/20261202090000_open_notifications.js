// @ts-check

/**
 * Notifications the plugin sent about an entity that are not resolved yet:
 * which of the checks they named still fail, and the level the entity had
 * before it dropped. A recovery updates such a notification (same scope);
 * without a row here, a recovery sends nothing.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('operability_open_notifications', table => {
    table.comment(
      'Readiness notifications sent and not resolved: what a recovery updates',
    );
    table.string('entity_ref', 512).primary();
    table
      .text('checks')
      .notNullable()
      .comment('JSON: the ids of the checks named that still fail');
    table
      .string('level_before', 16)
      .notNullable()
      .comment('The level before the drop: back at it, the notice is resolved');
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('operability_open_notifications');
};
