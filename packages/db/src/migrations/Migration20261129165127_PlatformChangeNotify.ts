import { Migration } from '@mikro-orm/migrations';

export class Migration20261129165127_PlatformChangeNotify extends Migration {

  override name = 'Migration20261129165127_PlatformChangeNotify';

  override up(): void | Promise<void> {
    this.addSql(`create or replace function "ai_identity_notify_platform_change_fn"() returns trigger as \$\$ begin perform pg_notify('atrium_platform', tg_table_name); return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "notify_platform_change" AFTER INSERT OR UPDATE OR DELETE on "ai_identity" for each STATEMENT execute function "ai_identity_notify_platform_change_fn"();`);

    this.addSql(`create or replace function "cache_settings_notify_platform_change_fn"() returns trigger as \$\$ begin perform pg_notify('atrium_platform', tg_table_name); return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "notify_platform_change" AFTER INSERT OR UPDATE OR DELETE on "cache_settings" for each STATEMENT execute function "cache_settings_notify_platform_change_fn"();`);

    this.addSql(`create or replace function "models_notify_platform_change_fn"() returns trigger as \$\$ begin perform pg_notify('atrium_platform', tg_table_name); return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "notify_platform_change" AFTER INSERT OR UPDATE OR DELETE on "models" for each STATEMENT execute function "models_notify_platform_change_fn"();`);

    this.addSql(`create or replace function "model_rate_limits_notify_platform_change_fn"() returns trigger as \$\$ begin perform pg_notify('atrium_platform', tg_table_name); return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "notify_platform_change" AFTER INSERT OR UPDATE OR DELETE on "model_rate_limits" for each STATEMENT execute function "model_rate_limits_notify_platform_change_fn"();`);

    this.addSql(`create or replace function "summary_settings_notify_platform_change_fn"() returns trigger as \$\$ begin perform pg_notify('atrium_platform', tg_table_name); return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "notify_platform_change" AFTER INSERT OR UPDATE OR DELETE on "summary_settings" for each STATEMENT execute function "summary_settings_notify_platform_change_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "notify_platform_change" on "ai_identity";`);
    this.addSql(`drop function if exists "ai_identity_notify_platform_change_fn"();`);

    this.addSql(`drop trigger if exists "notify_platform_change" on "cache_settings";`);
    this.addSql(`drop function if exists "cache_settings_notify_platform_change_fn"();`);

    this.addSql(`drop trigger if exists "notify_platform_change" on "model_rate_limits";`);
    this.addSql(`drop function if exists "model_rate_limits_notify_platform_change_fn"();`);

    this.addSql(`drop trigger if exists "notify_platform_change" on "models";`);
    this.addSql(`drop function if exists "models_notify_platform_change_fn"();`);

    this.addSql(`drop trigger if exists "notify_platform_change" on "summary_settings";`);
    this.addSql(`drop function if exists "summary_settings_notify_platform_change_fn"();`);
  }

}
