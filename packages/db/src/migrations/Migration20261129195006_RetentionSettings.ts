import { Migration } from '@mikro-orm/migrations';

export class Migration20261129195006_RetentionSettings extends Migration {

  override name = 'Migration20261129195006_RetentionSettings';

  override up(): void | Promise<void> {
    this.addSql(`create table "retention_settings" ("id" int not null, "conversation_days" int null, "export_hours" int not null default 24, "audit_days" int null, "last_run_at" timestamptz null, "last_run_removed" jsonb not null default '{"conversations":0,"exports":0,"auditEvents":0}', "updated_at" timestamptz not null, primary key ("id"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "retention_settings" cascade;`);

  }

}
