import { Migration } from '@mikro-orm/migrations';

export class Migration20261129170304_TokenLeases extends Migration {

  override name = 'Migration20261129170304_TokenLeases';

  override up(): void | Promise<void> {
    this.addSql(`create table "token_lease" ("id" uuid not null, "user_id" uuid not null, "conversation_id" uuid null, "model" varchar(128) not null, "provider" text not null, "day" date not null, "month" date not null, "tokens" int not null, "prompt_estimate" int not null default 0, "partial_text" text not null default '', "created_at" timestamptz not null, "expires_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "token_lease_user_id_index" on "token_lease" ("user_id");`);
    this.addSql(`create index "token_lease_expires_at_index" on "token_lease" ("expires_at");`);

    this.addSql(`alter table "usage_daily" add "estimated_tokens" bigint not null default '0', add "estimated_cost_micros" bigint not null default '0';`);

    this.addSql(`alter table "token_lease" add constraint "token_lease_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "token_lease" add constraint "token_lease_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
    this.addSql(`alter table "token_lease" add constraint "token_lease_provider_check" check ("provider" in ('groq', 'openai', 'local', 'demo'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "token_lease" cascade;`);

    this.addSql(`alter table "usage_daily" drop column "estimated_tokens", drop column "estimated_cost_micros";`);
  }

}
