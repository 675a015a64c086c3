// @ts-check

/**
 * Campaigns (`operability.campaigns`):
 *
 * - `operability_campaign_burndown`: services in scope and still open, per
 *   campaign and day, written once a day by the campaigns task (today's
 *   point is replaced until the day ends).
 * - `operability_campaign_notices`: when each kind of notification of a
 *   campaign (start, weekly, deadline) was last sent, so that the task sends
 *   each once (the weekly one every seven days) whichever replica runs it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('operability_campaign_burndown', table => {
    table.comment('Services in scope and still open, per campaign and day');
    table.string('campaign_id', 64).notNullable();
    table.string('date', 10).notNullable().comment('YYYY-MM-DD (UTC)');
    table.integer('total').notNullable();
    table.integer('remaining').notNullable();
    table.primary(['campaign_id', 'date']);
  });
  await knex.schema.createTable('operability_campaign_notices', table => {
    table.comment('When each notification of a campaign was last sent');
    table.string('campaign_id', 64).notNullable();
    table
      .string('notice', 16)
      .notNullable()
      .comment("'start', 'weekly' or 'deadline'");
    table.timestamp('sent_at', { useTz: true }).notNullable();
    table.primary(['campaign_id', 'notice']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('operability_campaign_notices');
  await knex.schema.dropTable('operability_campaign_burndown');
};
