// @ts-check

/**
 * What the readiness cycle needs to tell what changed, without reading every
 * report document each cycle:
 *
 * - `operability_reports.check_statuses`: the report's check ids by status
 *   (JSON `{ pass?, fail?, exempt?, unknown? }`; not-applicable checks left
 *   out), so a cycle knows which checks regressed or recovered. Filled here
 *   from the stored readiness documents.
 * - `operability_facts.stale_since`: set while an entity's own input fails
 *   (a rule file that cannot be read) and its last good facts from that
 *   provider are kept: when they were last good.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('operability_reports', table => {
    table
      .text('check_statuses')
      .nullable()
      .comment(
        'JSON: check ids by status, { pass?, fail?, exempt?, unknown? }',
      );
  });
  await knex.schema.alterTable('operability_facts', table => {
    table
      .timestamp('stale_since', { useTz: true })
      .nullable()
      .comment(
        "When these facts were last good, while the entity's own input fails",
      );
  });

  // Existing reports: their statuses from their readiness documents, a page
  // at a time.
  const PAGE = 500;
  let after = '';
  for (;;) {
    const rows = await knex('operability_reports')
      .where('entity_ref', '>', after)
      .orderBy('entity_ref')
      .limit(PAGE)
      .select('entity_ref', 'readiness');
    if (rows.length === 0) break;
    for (const row of rows) {
      /** @type {Record<string, string[]>} */
      const statuses = {};
      for (const check of JSON.parse(row.readiness).checks ?? []) {
        if (!['pass', 'fail', 'exempt', 'unknown'].includes(check.status)) {
          continue;
        }
        (statuses[check.status] = statuses[check.status] ?? []).push(check.id);
      }
      await knex('operability_reports')
        .where({ entity_ref: row.entity_ref })
        .update({ check_statuses: JSON.stringify(statuses) });
    }
    after = rows[rows.length - 1].entity_ref;
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('operability_facts', table => {
    table.dropColumn('stale_since');
  });
  await knex.schema.alterTable('operability_reports', table => {
    table.dropColumn('check_statuses');
  });
};
