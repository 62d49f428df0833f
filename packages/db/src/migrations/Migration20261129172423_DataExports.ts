import { Migration } from '@mikro-orm/migrations';

export class Migration20261129172423_DataExports extends Migration {

  override name = 'Migration20261129172423_DataExports';

  override up(): void | Promise<void> {
    this.addSql(`create table "data_exports" ("id" uuid not null, "user_id" uuid not null, "requested_by_id" uuid null, "status" text not null default 'queued', "progress" int not null default 0, "total" int not null default 0, "size" bigint null, "error" text null, "created_at" timestamptz not null, "finished_at" timestamptz null, "expires_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "data_exports_user_id_index" on "data_exports" ("user_id");`);
    this.addSql(`create index "data_exports_expires_at_index" on "data_exports" ("expires_at");`);

    this.addSql(`alter table "data_exports" add constraint "data_exports_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "data_exports" add constraint "data_exports_requested_by_id_foreign" foreign key ("requested_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "data_exports" add constraint "data_exports_status_check" check ("status" in ('queued', 'running', 'ready', 'failed'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "data_exports" cascade;`);
  }

}
