import { Migration } from '@mikro-orm/migrations';

export class Migration20261129155257_ErasureAndBans extends Migration {

  override name = 'Migration20261129155257_ErasureAndBans';

  override up(): void | Promise<void> {
    this.addSql(`alter table "usage_daily" drop constraint "usage_daily_user_id_foreign";`);

    this.addSql(`alter table "users" add "ban_reason" text null, add "banned_until" timestamptz null;`);

    this.addSql(`alter table "usage_daily" add "erased_role" text null;`);
    this.addSql(`alter table "usage_daily" alter column "user_id" drop not null;`);
    this.addSql(`alter table "usage_daily" add constraint "usage_daily_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "usage_daily" add constraint "usage_daily_erased_role_check" check ("erased_role" in ('student', 'staff', 'admin'));`);

    this.addSql(`alter table "audit_events" add "actor_label" varchar(64) null;`);

    this.addSql(`alter table "answer_cache" add "asked_by_id" uuid null;`);
    this.addSql(`alter table "answer_cache" add constraint "answer_cache_asked_by_id_foreign" foreign key ("asked_by_id") references "users" ("id") on delete cascade;`);
    this.addSql(`create index "answer_cache_asked_by_id_index" on "answer_cache" ("asked_by_id");`);
    // Existing private entries were asked by their owner; shared ones cannot be traced to whoever
    // asked, so they go (the cache refills itself) rather than outlive an erasure.
    this.addSql(`update "answer_cache" set "asked_by_id" = "user_id" where "user_id" is not null;`);
    this.addSql(`delete from "answer_cache" where "user_id" is null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "answer_cache" drop constraint "answer_cache_asked_by_id_foreign";`);

    this.addSql(`alter table "usage_daily" drop constraint "usage_daily_user_id_foreign";`);

    this.addSql(`drop index "answer_cache_asked_by_id_index";`);
    this.addSql(`alter table "answer_cache" drop column "asked_by_id";`);

    this.addSql(`alter table "audit_events" drop column "actor_label";`);

    this.addSql(`alter table "usage_daily" drop constraint "usage_daily_erased_role_check";`);
    this.addSql(`alter table "usage_daily" drop column "erased_role";`);
    this.addSql(`alter table "usage_daily" alter column "user_id" set not null;`);
    this.addSql(`alter table "usage_daily" add constraint "usage_daily_user_id_foreign" foreign key ("user_id") references "users" ("id") on update no action on delete cascade;`);

    this.addSql(`alter table "users" drop column "ban_reason", drop column "banned_until";`);
  }

}
