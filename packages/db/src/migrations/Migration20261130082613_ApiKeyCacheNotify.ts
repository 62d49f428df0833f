import { Migration } from '@mikro-orm/migrations';

export class Migration20261130082613_ApiKeyCacheNotify extends Migration {

  override name = 'Migration20261130082613_ApiKeyCacheNotify';

  override up(): void | Promise<void> {
    this.addSql(`create or replace function "api_settings_notify_platform_change_fn"() returns trigger as \$\$ begin perform pg_notify('atrium_platform', tg_table_name); return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "notify_platform_change" AFTER INSERT OR UPDATE OR DELETE on "api_settings" for each STATEMENT execute function "api_settings_notify_platform_change_fn"();`);

    this.addSql(`create or replace function "api_keys_notify_api_key_deleted_fn"() returns trigger as \$\$ begin perform pg_notify('atrium_platform', 'k:' || old.id); return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "notify_api_key_deleted" AFTER DELETE on "api_keys" for each ROW execute function "api_keys_notify_api_key_deleted_fn"();`);
    this.addSql(`create or replace function "api_keys_notify_api_key_changed_fn"() returns trigger as \$\$ begin perform pg_notify('atrium_platform', 'k:' || old.id); return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "notify_api_key_changed" AFTER UPDATE on "api_keys" for each ROW
  when ((NOT ((old.last_used_at IS DISTINCT FROM new.last_used_at) OR ((old.last_used_ip)::text IS DISTINCT FROM (new.last_used_ip)::text)))) execute function "api_keys_notify_api_key_changed_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "notify_api_key_deleted" on "api_keys";`);
    this.addSql(`drop function if exists "api_keys_notify_api_key_deleted_fn"();`);
    this.addSql(`drop trigger if exists "notify_api_key_changed" on "api_keys";`);
    this.addSql(`drop function if exists "api_keys_notify_api_key_changed_fn"();`);

    this.addSql(`drop trigger if exists "notify_platform_change" on "api_settings";`);
    this.addSql(`drop function if exists "api_settings_notify_platform_change_fn"();`);

  }

}
