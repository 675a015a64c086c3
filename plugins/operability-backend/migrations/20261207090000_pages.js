// @ts-check

/**
 * The on-call load (`GET …/on-call/load`, the check `on-call.page-load`):
 *
 * - `operability_pages`: pages (alerts that reached a human) per source and
 *   entity, as the page sources collected them; kept for
 *   `operability.onCall.pages.retention`.
 * - `operability_page_turns`: who was primary for an entity, when a source
 *   knows it itself (PagerDuty's on-call history); entities without turns
 *   are attributed from their Schedule.
 * - `operability_page_sources`: each source's last collection: when it
 *   succeeded, its last error, and the entities it could not answer for.
 * - `operability_page_watermarks`: how far each source has collected each
 *   entity, so that the next collection asks only for what is new (and an
 *   entity new to the catalog is collected from the start of the retention).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('operability_pages', table => {
    table.comment('Pages per source and entity, from the page sources');
    table.string('source', 64).notNullable();
    table
      .string('page_id', 255)
      .notNullable()
      .comment("The page's id within its source");
    table.string('entity_ref', 512).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.text('title').notNullable();
    table.timestamp('acknowledged_at', { useTz: true }).nullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table.text('url').nullable();
    table.primary(['source', 'page_id', 'entity_ref']);
    table.index(['entity_ref', 'at'], 'operability_pages_entity_at_idx');
    table.index(['at'], 'operability_pages_at_idx');
  });
  await knex.schema.createTable('operability_page_turns', table => {
    table.comment('Who was primary for an entity, as a page source knows it');
    table.string('source', 64).notNullable();
    table.string('entity_ref', 512).notNullable();
    table.timestamp('start_at', { useTz: true }).notNullable();
    table.timestamp('end_at', { useTz: true }).notNullable();
    table
      .text('primary_person')
      .nullable()
      .comment('JSON: the Person who was primary; null: nobody');
    table.primary(['source', 'entity_ref', 'start_at']);
    table.index(['entity_ref', 'end_at'], 'operability_page_turns_entity_idx');
  });
  await knex.schema.createTable('operability_page_watermarks', table => {
    table.comment('How far each page source has collected each entity');
    table.string('source', 64).notNullable();
    table.string('entity_ref', 512).notNullable();
    table.timestamp('collected_until', { useTz: true }).notNullable();
    table.primary(['source', 'entity_ref']);
  });
  await knex.schema.createTable('operability_page_sources', table => {
    table.comment('The last collection of each page source');
    table.string('source', 64).primary();
    table
      .timestamp('collected_until', { useTz: true })
      .nullable()
      .comment('The end of the last successful collection');
    table.timestamp('last_success_at', { useTz: true }).nullable();
    table.timestamp('last_attempt_at', { useTz: true }).notNullable();
    table.text('last_error').nullable();
    table
      .text('entity_errors')
      .nullable()
      .comment(
        'JSON: entity ref → reason, from the last successful collection',
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('operability_page_sources');
  await knex.schema.dropTable('operability_page_watermarks');
  await knex.schema.dropTable('operability_page_turns');
  await knex.schema.dropTable('operability_pages');
};
