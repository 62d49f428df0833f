import { Migration } from '@mikro-orm/migrations';

export class Migration20261130075227_SessionCacheNotify extends Migration {

  override name = 'Migration20261130075227_SessionCacheNotify';

  override up(): void | Promise<void> {
    this.addSql(`create or replace function "users_notify_user_changed_fn"() returns trigger as \$\$ begin perform pg_notify('atrium_platform', 'u:' || old.id); return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "notify_user_changed" AFTER UPDATE OR DELETE on "users" for each ROW execute function "users_notify_user_changed_fn"();`);

    this.addSql(`create or replace function "sessions_notify_session_deleted_fn"() returns trigger as \$\$ begin perform pg_notify('atrium_platform', 's:' || old.id); return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "notify_session_deleted" AFTER DELETE on "sessions" for each ROW execute function "sessions_notify_session_deleted_fn"();`);
    this.addSql(`create or replace function "sessions_notify_session_changed_fn"() returns trigger as \$\$ begin perform pg_notify('atrium_platform', 's:' || old.id); return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "notify_session_changed" AFTER UPDATE on "sessions" for each ROW
  when (((old.expires_at IS DISTINCT FROM new.expires_at) OR (NOT (old.last_seen_at IS DISTINCT FROM new.last_seen_at)))) execute function "sessions_notify_session_changed_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "notify_session_deleted" on "sessions";`);
    this.addSql(`drop function if exists "sessions_notify_session_deleted_fn"();`);
    this.addSql(`drop trigger if exists "notify_session_changed" on "sessions";`);
    this.addSql(`drop function if exists "sessions_notify_session_changed_fn"();`);

    this.addSql(`drop trigger if exists "notify_user_changed" on "users";`);
    this.addSql(`drop function if exists "users_notify_user_changed_fn"();`);
  }

}
