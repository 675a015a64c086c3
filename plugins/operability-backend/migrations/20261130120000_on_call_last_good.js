// @ts-check

/**
 * The last good on-call answer and rotation per entity and on-call provider,
 * so that after a restart with a source down the last good answer is still
 * there to serve (marked stale) instead of nothing.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('operability_on_call_last_good', table => {
    table.comment(
      'Last good on-call answer and rotation per entity and provider',
    );
    table.string('entity_ref', 512).notNullable();
    table.string('provider', 128).notNullable();
    table
      .string('kind', 16)
      .notNullable()
      .comment("'answer' (an OnCall) or 'rotation' (an OnCallRotation)");
    table
      .text('document')
      .notNullable()
      .comment('JSON of the answer or rotation');
    table
      .timestamp('good_at', { useTz: true })
      .notNullable()
      .comment('When it was last known good');
    table.primary(['entity_ref', 'provider', 'kind']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('operability_on_call_last_good');
};
