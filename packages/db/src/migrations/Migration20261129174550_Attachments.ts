import { Migration } from '@mikro-orm/migrations';

export class Migration20261129174550_Attachments extends Migration {

  override name = 'Migration20261129174550_Attachments';

  override up(): void | Promise<void> {
    this.addSql(`create table "storage_quotas" ("role" text not null, "quota_bytes" bigint null, primary key ("role"));`);

    this.addSql(`create table "storage_usage" ("user_id" uuid not null, "used_bytes" bigint not null default '0', "quota_bytes" bigint null, primary key ("user_id"));`);

    this.addSql(`alter table "models" add "price_per_image" numeric(12,6) not null default 0;`);

    this.addSql(`alter table "attachments" add "status" text not null default 'ready', add "failure" varchar(64) null, add "thumbnail_key" varchar(512) null, add "width" int null, add "height" int null;`);
    this.addSql(`alter table "attachments" add constraint "attachments_status_check" check ("status" in ('processing', 'ready', 'failed'));`);

    this.addSql(`alter table "storage_quotas" add constraint "storage_quotas_role_check" check ("role" in ('student', 'staff', 'admin'));`);

    this.addSql(`alter table "storage_usage" add constraint "storage_usage_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "storage_quotas" cascade;`);
    this.addSql(`drop table if exists "storage_usage" cascade;`);

    this.addSql(`alter table "attachments" drop constraint "attachments_status_check";`);
    this.addSql(`alter table "attachments" drop column "status", drop column "failure", drop column "thumbnail_key", drop column "width", drop column "height";`);

    this.addSql(`alter table "models" drop column "price_per_image";`);

    this.addSql(`create or replace function "atrium_fold"("value" text) returns text security invoker immutable language sql as \$\$ select lower(translate(value, 'İIıÇçĞğÖöŞşÜüÂâÊêÎîÔôÛûÁáÉéÍíÓóÚúÀàÈèÌìÒòÙùÄäËëÏïÿÑñÅåÆæØøß', 'iiiccggoossuuaaeeiioouuaaeeiioouuaaeeiioouuaaeeiiynnaaaaoos')) \$\$;`);
  }

}
