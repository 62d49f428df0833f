import { Migration } from '@mikro-orm/migrations';

export class Migration20261129171500_ConversationTrees extends Migration {

  override name = 'Migration20261129171500_ConversationTrees';

  override up(): void | Promise<void> {
    this.addSql(`alter table "conversation_summaries" drop constraint "conversation_summaries_conversation_id_foreign";`);
    this.addSql(`alter table "conversation_summaries" drop constraint "conversation_summaries_last_message_id_foreign";`);

    this.addSql(`alter table "conversations" add "active_leaf_id" uuid null, add "pinned_at" timestamptz null, add "archived_at" timestamptz null;`);
    this.addSql(`alter table "conversations" add constraint "conversations_active_leaf_id_foreign" foreign key ("active_leaf_id") references "messages" ("id") on delete set null;`);

    this.addSql(`alter table "messages" add "parent_id" uuid null;`);
    this.addSql(`alter table "messages" add constraint "messages_parent_id_foreign" foreign key ("parent_id") references "messages" ("id") on delete cascade;`);
    this.addSql(`create index "messages_parent_id_created_at_id_index" on "messages" ("parent_id", "created_at", "id");`);
    // A conversation so far was a line: each message follows the one before it, and the newest is the viewed leaf.
    this.addSql(`update "messages" m set "parent_id" = ordered."previous_id"
      from (select "id", lag("id") over (partition by "conversation_id" order by "created_at", "id") as "previous_id" from "messages") ordered
      where m."id" = ordered."id" and ordered."previous_id" is not null;`);
    this.addSql(`update "conversations" c set "active_leaf_id" = (
      select m."id" from "messages" m where m."conversation_id" = c."id" order by m."created_at" desc, m."id" desc limit 1);`);

    this.addSql(`alter table "conversation_summaries" drop constraint "conversation_summaries_pkey";`);
    // A summary whose last message was deleted covers no path any more.
    this.addSql(`delete from "conversation_summaries" where "last_message_id" is null;`);
    this.addSql(`alter table "conversation_summaries" add "id" uuid null;`);
    this.addSql(`update "conversation_summaries" set "id" = gen_random_uuid();`);
    this.addSql(`alter table "conversation_summaries" alter column "id" set not null;`);
    this.addSql(`alter table "conversation_summaries" add "covered_count" int null;`);
    this.addSql(`update "conversation_summaries" s set "covered_count" = (select count(*) from "messages" m, "messages" last
      where last."id" = s."last_message_id" and m."conversation_id" = last."conversation_id" and (m."created_at", m."id") <= (last."created_at", last."id"));`);
    this.addSql(`alter table "conversation_summaries" alter column "covered_count" set not null;`);
    this.addSql(`alter table "conversation_summaries" alter column "last_message_id" set not null;`);
    this.addSql(`alter table "conversation_summaries" add constraint "conversation_summaries_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
    this.addSql(`alter table "conversation_summaries" add constraint "conversation_summaries_last_message_id_foreign" foreign key ("last_message_id") references "messages" ("id") on delete cascade;`);
    this.addSql(`create index "conversation_summaries_conversation_id_index" on "conversation_summaries" ("conversation_id");`);
    this.addSql(`alter table "conversation_summaries" add constraint "conversation_summaries_last_message_id_unique" unique ("last_message_id");`);
    this.addSql(`alter table "conversation_summaries" add primary key ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "conversation_summaries" drop constraint "conversation_summaries_conversation_id_foreign";`);
    this.addSql(`alter table "conversation_summaries" drop constraint "conversation_summaries_last_message_id_foreign";`);

    this.addSql(`alter table "conversations" drop constraint "conversations_active_leaf_id_foreign";`);

    this.addSql(`alter table "messages" drop constraint "messages_parent_id_foreign";`);

    this.addSql(`drop index "conversation_summaries_conversation_id_index";`);
    this.addSql(`alter table "conversation_summaries" drop constraint "conversation_summaries_last_message_id_unique";`);
    this.addSql(`alter table "conversation_summaries" drop constraint "conversation_summaries_pkey";`);
    // One summary per conversation again: the newest one stays.
    this.addSql(`delete from "conversation_summaries" s where exists (select 1 from "conversation_summaries" newer
      where newer."conversation_id" = s."conversation_id" and (newer."updated_at", newer."id") > (s."updated_at", s."id"));`);
    this.addSql(`alter table "conversation_summaries" drop column "id", drop column "covered_count";`);
    this.addSql(`alter table "conversation_summaries" alter column "last_message_id" drop not null;`);
    this.addSql(`alter table "conversation_summaries" add constraint "conversation_summaries_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "conversation_summaries" add constraint "conversation_summaries_last_message_id_foreign" foreign key ("last_message_id") references "messages" ("id") on update no action on delete set null;`);
    this.addSql(`alter table "conversation_summaries" add primary key ("conversation_id");`);

    this.addSql(`alter table "conversations" drop column "active_leaf_id", drop column "pinned_at", drop column "archived_at";`);

    // Without parents every version is shown in one line again, in the order it was written.
    this.addSql(`drop index "messages_parent_id_created_at_id_index";`);
    this.addSql(`alter table "messages" drop column "parent_id";`);
  }

}
