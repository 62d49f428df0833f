import { Migration } from '@mikro-orm/migrations';

export class Migration20261129190930_SharingAndSavedLooks extends Migration {

  override name = 'Migration20261129190930_SharingAndSavedLooks';

  override up(): void | Promise<void> {
    this.addSql(`create table "share_settings" ("id" int not null, "allow_public_links" boolean not null default false, "updated_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "shared_snapshots" ("id" varchar(32) not null, "owner_id" uuid not null, "conversation_id" uuid not null, "title" varchar(255) not null, "messages" jsonb not null, "is_public" boolean not null default false, "created_at" timestamptz not null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "shared_snapshots_conversation_id_index" on "shared_snapshots" ("conversation_id");`);
    this.addSql(`create index "shared_snapshots_owner_id_created_at_index" on "shared_snapshots" ("owner_id", "created_at");`);

    this.addSql(`alter table "users" add "theme" text not null default 'system', add "language" varchar(8) null;`);
    this.addSql(`alter table "users" add constraint "users_theme_check" check ("theme" in ('system', 'light', 'dark'));`);

    this.addSql(`alter table "shared_snapshots" add constraint "shared_snapshots_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "shared_snapshots" add constraint "shared_snapshots_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "share_settings" cascade;`);
    this.addSql(`drop table if exists "shared_snapshots" cascade;`);

    this.addSql(`alter table "users" drop constraint "users_theme_check";`);
    this.addSql(`alter table "users" drop column "theme", drop column "language";`);

  }

}
