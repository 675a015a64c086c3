// @ts-check

/**
 * Facts, the latest report per entity, the score history and exemptions.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // The last good facts of one provider for one entity, as one JSON document.
  await knex.schema.createTable('operability_facts', table => {
    table.comment('Last good facts per entity and provider');
    table.string('entity_ref', 512).notNullable();
    table.string('provider', 128).notNullable();
    table.text('facts').notNullable().comment('JSON: fact name -> FactRecord');
    table
      .string('hash', 64)
      .notNullable()
      .comment('Hash of facts, to skip unchanged writes');
    table.primary(['entity_ref', 'provider']);
  });

  // How each provider's last collection went.
  await knex.schema.createTable('operability_provider_runs', table => {
    table.string('provider', 128).primary();
    table.timestamp('last_attempt_at', { useTz: true }).notNullable();
    table.timestamp('last_success_at', { useTz: true }).nullable();
    table.text('last_error').nullable();
  });

  await knex.schema.createTable('operability_reports', table => {
    table.comment('Latest readiness report per entity');
    table.string('entity_ref', 512).primary();
    table.string('kind', 64).notNullable();
    table.string('name', 256).notNullable();
    table.string('title', 512).nullable();
    table.string('type', 128).nullable();
    table.string('lifecycle', 128).nullable();
    table.string('system_ref', 512).nullable();
    table.string('owner_ref', 512).nullable().comment('The resolved team');
    table.string('owner_declared', 512).nullable();
    table.integer('score').notNullable();
    table.string('level', 16).notNullable();
    table
      .integer('level_rank')
      .notNullable()
      .comment('0 none, 1 bronze, 2 silver, 3 gold');
    table
      .text('failed_checks')
      .notNullable()
      .comment('JSON array of failing check ids');
    table.text('readiness').notNullable().comment('JSON Readiness');
    table.string('hash', 64).notNullable();
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table
      .timestamp('history_at', { useTz: true })
      .notNullable()
      .comment('Time of the latest history point');
    // The org page filters by kind and one more column, and sorts.
    table.index(['kind', 'entity_ref'], 'operability_reports_kind_ref_idx');
    table.index(['kind', 'owner_ref'], 'operability_reports_kind_owner_idx');
    table.index(
      ['kind', 'owner_declared'],
      'operability_reports_kind_declared_idx',
    );
    table.index(['kind', 'score'], 'operability_reports_kind_score_idx');
    table.index(['kind', 'level_rank'], 'operability_reports_kind_level_idx');
  });

  await knex.schema.createTable('operability_history', table => {
    table.comment(
      'Score and level over time: a point per change and a daily point',
    );
    table.bigIncrements('id').primary();
    table.string('entity_ref', 512).notNullable();
    table.timestamp('time', { useTz: true }).notNullable();
    table.integer('score').notNullable();
    table.string('level', 16).notNullable();
    table.index(['entity_ref', 'time'], 'operability_history_entity_time_idx');
    table.index(['time'], 'operability_history_time_idx');
  });

  await knex.schema.createTable('operability_exemptions', table => {
    table.string('id', 64).primary();
    table.string('entity_ref', 512).notNullable();
    table.string('check_id', 256).notNullable();
    table.text('reason').notNullable();
    table.string('author', 512).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.index(['entity_ref'], 'operability_exemptions_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('operability_exemptions');
  await knex.schema.dropTable('operability_history');
  await knex.schema.dropTable('operability_reports');
  await knex.schema.dropTable('operability_provider_runs');
  await knex.schema.dropTable('operability_facts');
};
