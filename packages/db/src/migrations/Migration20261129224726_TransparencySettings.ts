import { Migration } from '@mikro-orm/migrations';

export class Migration20261129224726_TransparencySettings extends Migration {

  override name = 'Migration20261129224726_TransparencySettings';

  override up(): void | Promise<void> {
    this.addSql(`create table "transparency_settings" ("id" int not null, "answer_usage_roles" jsonb not null default '["staff","admin"]', "updated_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create or replace function "transparency_settings_notify_platform_change_fn"() returns trigger as \$\$ begin perform pg_notify('atrium_platform', tg_table_name); return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "notify_platform_change" AFTER INSERT OR UPDATE OR DELETE on "transparency_settings" for each STATEMENT execute function "transparency_settings_notify_platform_change_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "notify_platform_change" on "transparency_settings";`);
    this.addSql(`drop function if exists "transparency_settings_notify_platform_change_fn"();`);
    this.addSql(`drop table if exists "transparency_settings" cascade;`);
  }

}
