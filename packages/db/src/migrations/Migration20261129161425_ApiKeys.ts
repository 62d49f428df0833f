import { Migration } from '@mikro-orm/migrations';

export class Migration20261129161425_ApiKeys extends Migration {

  override name = 'Migration20261129161425_ApiKeys';

  override up(): void | Promise<void> {
    this.addSql(`create table "api_settings" ("id" int not null, "key_roles" jsonb not null default '["staff","admin"]', "apply_identity" boolean not null default true, "store_conversations" boolean not null default false, "updated_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "api_keys" ("id" uuid not null, "user_id" uuid not null, "name" varchar(100) not null, "prefix" varchar(16) not null, "token_hash" varchar(64) not null, "expires_at" timestamptz null, "last_used_at" timestamptz null, "last_used_ip" varchar(64) null, "revoked_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "api_keys_user_id_index" on "api_keys" ("user_id");`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "api_usage_daily" ("id" uuid not null, "api_key_id" uuid null, "user_id" uuid null, "date" date not null, "model" varchar(128) not null, "requests" int not null default 0, "prompt_tokens" bigint not null default '0', "completion_tokens" bigint not null default '0', "cost_micros" bigint not null default '0', primary key ("id"));`);
    this.addSql(`create index "api_usage_daily_user_id_index" on "api_usage_daily" ("user_id");`);
    this.addSql(`create index "api_usage_daily_date_index" on "api_usage_daily" ("date");`);
    this.addSql(`alter table "api_usage_daily" add constraint "api_usage_daily_api_key_id_date_model_unique" unique ("api_key_id", "date", "model");`);

    this.addSql(`alter table "api_keys" add constraint "api_keys_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "api_usage_daily" add constraint "api_usage_daily_api_key_id_foreign" foreign key ("api_key_id") references "api_keys" ("id") on delete set null;`);
    this.addSql(`alter table "api_usage_daily" add constraint "api_usage_daily_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "api_usage_daily" drop constraint "api_usage_daily_api_key_id_foreign";`);

    this.addSql(`drop table if exists "api_settings" cascade;`);
    this.addSql(`drop table if exists "api_keys" cascade;`);
    this.addSql(`drop table if exists "api_usage_daily" cascade;`);
  }

}
