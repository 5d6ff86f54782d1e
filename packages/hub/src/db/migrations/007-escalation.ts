import type { Kysely, Migration } from 'kysely';

/**
 * Escalation of overdue problem tickets (issue 9): how far a ticket has been escalated (0 none,
 * 1 at its deadline, 2 when still overdue later), when, and when the next level falls due. The
 * ticket's own status is left alone: escalation says who is chasing, not where the ticket is.
 */
export const escalation: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('problem_tickets')
      .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('problem_tickets').addColumn('escalated_at', 'varchar(32)').execute();
    await db.schema.alterTable('problem_tickets').addColumn('next_escalation_at', 'varchar(32)').execute();
    await db.schema
      .createIndex('problem_tickets_escalation')
      .on('problem_tickets')
      .columns(['escalation_level', 'deadline'])
      .execute();
  },
};
