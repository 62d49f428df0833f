import { Migration } from '@mikro-orm/migrations';

export class Migration20261123103230_ContextAndMemory extends Migration {

  override name = 'Migration20261123103230_ContextAndMemory';

  override up(): void | Promise<void> {
    this.addSql(`create table "cache_settings" ("id" int not null, "enabled" boolean not null default true, "ttl_seconds" int not null default 86400, "shared" boolean not null default false, "updated_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`alter table "feedback" drop constraint "feedback_message_id_foreign";`);

    this.addSql(`alter table "feedback" alter column "message_id" drop not null;`);
    this.addSql(`alter table "feedback" add constraint "feedback_message_id_foreign" foreign key ("message_id") references "messages" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "cache_settings" cascade;`);

    this.addSql(`alter table "feedback" drop constraint "feedback_message_id_foreign";`);

    // Ratings whose answer was regenerated away cannot go back to a required message.
    this.addSql(`delete from "feedback" where "message_id" is null;`);
    this.addSql(`alter table "feedback" alter column "message_id" set not null;`);
    this.addSql(`alter table "feedback" add constraint "feedback_message_id_foreign" foreign key ("message_id") references "messages" ("id") on update no action on delete cascade;`);
  }

}
