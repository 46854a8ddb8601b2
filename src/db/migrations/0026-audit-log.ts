import { sql, type Kysely } from 'kysely';

/**
 * The console's audit log: one row per console action and per login try. Rows are never
 * changed or removed: a trigger refuses UPDATE and DELETE (TRUNCATE too), whoever asks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE audit_log (
      id           bigserial PRIMARY KEY,
      at           timestamptz NOT NULL DEFAULT now(),
      actor_id     integer,
      actor_email  text NOT NULL,
      actor_role   text NOT NULL,
      merchant_no  text,
      ip           text NOT NULL,
      action       text NOT NULL,
      target       text,
      outcome      text NOT NULL CHECK (outcome IN ('ok', 'refused')),
      before_value jsonb,
      after_value  jsonb
    )`.execute(db);
  await sql`CREATE INDEX audit_log_newest_first ON audit_log (at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX audit_log_by_merchant ON audit_log (merchant_no, at DESC, id DESC) WHERE merchant_no IS NOT NULL`.execute(db);
  await sql`
    CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log rows are never changed or removed';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only()`.execute(db);
  await sql`
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only()`.execute(db);
}
