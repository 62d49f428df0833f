import { Migration } from '@mikro-orm/migrations';

export class Migration20261129230241_MemoryLearning extends Migration {

  override name = 'Migration20261129230241_MemoryLearning';

  override up(): void | Promise<void> {
    this.addSql(`create table "memory_settings" ("id" int not null, "learn_roles" jsonb not null default '[]', "updated_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`alter table "users" add "memory_auto_keep" boolean not null default false;`);

    this.addSql(`alter table "user_preferences" add "status" text not null default 'kept';`);
    this.addSql(`alter table "user_preferences" add constraint "user_preferences_status_check" check ("status" in ('kept', 'suggested', 'discarded'));`);

    this.addSql(`create or replace function "memory_settings_notify_platform_change_fn"() returns trigger as \$\$ begin perform pg_notify('atrium_platform', tg_table_name); return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "notify_platform_change" AFTER INSERT OR UPDATE OR DELETE on "memory_settings" for each STATEMENT execute function "memory_settings_notify_platform_change_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "notify_platform_change" on "memory_settings";`);
    this.addSql(`drop function if exists "memory_settings_notify_platform_change_fn"();`);
    this.addSql(`drop table if exists "memory_settings" cascade;`);

    this.addSql(`alter table "user_preferences" drop constraint "user_preferences_status_check";`);
    this.addSql(`alter table "user_preferences" drop column "status";`);

    this.addSql(`alter table "users" drop column "memory_auto_keep";`);

  }

}
