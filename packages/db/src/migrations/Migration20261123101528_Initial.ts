import { Migration } from '@mikro-orm/migrations';

export class Migration20261123101528_Initial extends Migration {

  override name = 'Migration20261123101528_Initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "ai_identity" ("id" int not null, "display_name" varchar(120) not null default 'Atrium', "developer_name" varchar(200) not null default 'the university', "product_family" varchar(120) not null default 'Atrium', "short_intro" text not null default 'I am an AI assistant for students and staff.', "forbid_provider_mention" boolean not null default true, "revision" int not null default 1, "updated_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "login_throttles" ("key" varchar(300) not null, "failures" int not null default 0, "window_started_at" timestamptz not null, primary key ("key"));`);

    this.addSql(`create table "models" ("id" varchar(128) not null, "provider" text not null, "provider_model_id" varchar(255) not null, "display_name" varchar(255) not null, "enabled" boolean not null default true, "context_window" int not null default 8192, "supports_vision" boolean not null default false, "supports_image_generation" boolean not null default false, "input_price_per_mtok" numeric(12,6) not null default 0, "output_price_per_mtok" numeric(12,6) not null default 0, "sort_order" int not null default 0, "created_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "model_rate_limits" ("id" uuid not null, "model_id" varchar(128) not null, "role" text not null, "daily_request_limit" int null, "monthly_token_limit" bigint null, primary key ("id"));`);
    this.addSql(`alter table "model_rate_limits" add constraint "model_rate_limits_model_id_role_unique" unique ("model_id", "role");`);

    this.addSql(`create table "summary_settings" ("id" int not null, "enabled" boolean not null default true, "first_threshold" int not null default 20, "update_step" int not null default 10, "max_messages" int not null default 12, "updated_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "users" ("id" uuid not null, "username" varchar(255) not null, "email" varchar(320) null, "display_name" varchar(255) not null, "password_hash" text null, "auth_source" text not null default 'local', "ldap_dn" varchar(1024) null, "role" text not null default 'student', "is_banned" boolean not null default false, "selected_model" varchar(128) null, "active_preset_id" uuid null, "unlocks" jsonb not null default '{}', "limits" jsonb not null default '{}', "permissions" jsonb not null default '{}', "created_at" timestamptz not null, "updated_at" timestamptz not null, "last_login_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_username_unique" unique ("username");`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`create index "users_role_index" on "users" ("role");`);

    this.addSql(`create table "usage_monthly" ("id" uuid not null, "user_id" uuid not null, "month" date not null, "model" varchar(128) not null, "tokens" bigint not null default '0', "reserved_tokens" bigint not null default '0', primary key ("id"));`);
    this.addSql(`alter table "usage_monthly" add constraint "usage_monthly_user_id_month_model_unique" unique ("user_id", "month", "model");`);

    this.addSql(`create table "usage_daily" ("id" uuid not null, "user_id" uuid not null, "date" date not null, "model" varchar(128) not null, "provider" text not null, "requests" int not null default 0, "cache_hits" int not null default 0, "prompt_tokens" bigint not null default '0', "completion_tokens" bigint not null default '0', "cost_micros" bigint not null default '0', primary key ("id"));`);
    this.addSql(`create index "usage_daily_date_model_index" on "usage_daily" ("date", "model");`);
    this.addSql(`alter table "usage_daily" add constraint "usage_daily_user_id_date_model_unique" unique ("user_id", "date", "model");`);

    this.addSql(`create table "sessions" ("id" varchar(64) not null, "user_id" uuid not null, "type" text not null, "expires_at" timestamptz not null, "user_agent" varchar(512) null, "ip" varchar(64) null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);
    this.addSql(`create index "sessions_expires_at_index" on "sessions" ("expires_at");`);

    this.addSql(`create table "presets" ("id" uuid not null, "name" varchar(120) not null, "description" text null, "system_prompt_template" text not null, "temperature" double precision null, "max_tokens" int null, "model_id" varchar(128) null, "is_global" boolean not null default false, "owner_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "presets_owner_id_index" on "presets" ("owner_id");`);
    this.addSql(`create index "presets_is_global_index" on "presets" ("is_global");`);

    this.addSql(`create table "invites" ("id" uuid not null, "code" varchar(64) not null, "created_by_id" uuid null, "role" text not null default 'student', "note" varchar(255) null, "expires_at" timestamptz null, "is_used" boolean not null default false, "used_by_id" uuid null, "used_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "invites" add constraint "invites_code_unique" unique ("code");`);

    this.addSql(`create table "conversations" ("id" uuid not null, "user_id" uuid not null, "title" varchar(255) not null default 'New chat', "group_name" varchar(120) null, "preset_id" uuid null, "model_id" varchar(128) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "conversations_user_id_updated_at_id_index" on "conversations" ("user_id", "updated_at", "id");`);
    this.addSql(`create index "conversations_user_id_group_name_updated_at_index" on "conversations" ("user_id", "group_name", "updated_at");`);

    this.addSql(`create table "messages" ("id" uuid not null, "conversation_id" uuid not null, "role" text not null, "content" text not null, "model" varchar(128) null, "provider" varchar(32) null, "prompt_tokens" int null, "completion_tokens" int null, "cost_micros" bigint null, "preset_id" uuid null, "metadata" jsonb not null default '{}', "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "messages_conversation_id_created_at_id_index" on "messages" ("conversation_id", "created_at", "id");`);

    this.addSql(`create table "feedback" ("id" uuid not null, "user_id" uuid not null, "conversation_id" uuid not null, "message_id" uuid not null, "message_content" text not null, "model" varchar(128) null, "type" text not null, "comment" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "feedback_conversation_id_index" on "feedback" ("conversation_id");`);
    this.addSql(`create index "feedback_created_at_index" on "feedback" ("created_at");`);
    this.addSql(`alter table "feedback" add constraint "feedback_user_id_message_id_unique" unique ("user_id", "message_id");`);

    this.addSql(`create table "conversation_summaries" ("conversation_id" uuid not null, "summary" text not null, "message_count_at_update" int not null, "last_message_id" uuid null, "revision" int not null default 1, "updated_at" timestamptz not null, primary key ("conversation_id"));`);

    this.addSql(`create table "audit_events" ("id" uuid not null, "actor_id" uuid null, "action" varchar(64) not null, "target" varchar(255) null, "data" jsonb not null default '{}', "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "audit_events_actor_id_index" on "audit_events" ("actor_id");`);
    this.addSql(`create index "audit_events_created_at_index" on "audit_events" ("created_at");`);

    this.addSql(`create table "attachments" ("id" uuid not null, "user_id" uuid not null, "message_id" uuid null, "type" text not null, "name" varchar(255) not null, "mime_type" varchar(255) not null, "size" int not null, "storage_key" varchar(512) not null, "extracted_text" text null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "attachments_user_id_index" on "attachments" ("user_id");`);
    this.addSql(`create index "attachments_message_id_index" on "attachments" ("message_id");`);

    this.addSql(`create table "answer_cache" ("id" uuid not null, "user_id" uuid null, "cache_key" varchar(128) not null, "question" text not null, "answer" text not null, "model" varchar(128) not null, "hits" int not null default 0, "created_at" timestamptz not null, "expires_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "answer_cache_user_id_index" on "answer_cache" ("user_id");`);
    this.addSql(`create index "answer_cache_expires_at_index" on "answer_cache" ("expires_at");`);
    this.addSql(`create index "answer_cache_cache_key_user_id_index" on "answer_cache" ("cache_key", "user_id");`);

    this.addSql(`create table "user_preferences" ("id" uuid not null, "user_id" uuid not null, "key" varchar(255) not null, "value" text not null, "category" varchar(64) not null default 'general', "source" text not null default 'explicit', "is_active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "user_preferences" add constraint "user_preferences_user_id_key_unique" unique ("user_id", "key");`);

    this.addSql(`alter table "models" add constraint "models_provider_check" check ("provider" in ('groq', 'openai', 'local', 'demo'));`);

    this.addSql(`alter table "model_rate_limits" add constraint "model_rate_limits_model_id_foreign" foreign key ("model_id") references "models" ("id") on delete cascade;`);
    this.addSql(`alter table "model_rate_limits" add constraint "model_rate_limits_role_check" check ("role" in ('student', 'staff', 'admin'));`);

    this.addSql(`alter table "users" add constraint "users_active_preset_id_foreign" foreign key ("active_preset_id") references "presets" ("id") on delete set null;`);
    this.addSql(`alter table "users" add constraint "users_auth_source_check" check ("auth_source" in ('local', 'ldap'));`);
    this.addSql(`alter table "users" add constraint "users_role_check" check ("role" in ('student', 'staff', 'admin'));`);

    this.addSql(`alter table "usage_monthly" add constraint "usage_monthly_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "usage_daily" add constraint "usage_daily_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "usage_daily" add constraint "usage_daily_provider_check" check ("provider" in ('groq', 'openai', 'local', 'demo'));`);

    this.addSql(`alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "sessions" add constraint "sessions_type_check" check ("type" in ('active_session', 'remember_token'));`);

    this.addSql(`alter table "presets" add constraint "presets_model_id_foreign" foreign key ("model_id") references "models" ("id") on delete set null;`);
    this.addSql(`alter table "presets" add constraint "presets_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "invites" add constraint "invites_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "invites" add constraint "invites_used_by_id_foreign" foreign key ("used_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "invites" add constraint "invites_role_check" check ("role" in ('student', 'staff', 'admin'));`);

    this.addSql(`alter table "conversations" add constraint "conversations_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "conversations" add constraint "conversations_preset_id_foreign" foreign key ("preset_id") references "presets" ("id") on delete set null;`);
    this.addSql(`alter table "conversations" add constraint "conversations_model_id_foreign" foreign key ("model_id") references "models" ("id") on delete set null;`);

    this.addSql(`alter table "messages" add constraint "messages_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
    this.addSql(`alter table "messages" add constraint "messages_preset_id_foreign" foreign key ("preset_id") references "presets" ("id") on delete set null;`);
    this.addSql(`alter table "messages" add constraint "messages_role_check" check ("role" in ('user', 'assistant', 'system'));`);

    this.addSql(`alter table "feedback" add constraint "feedback_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "feedback" add constraint "feedback_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
    this.addSql(`alter table "feedback" add constraint "feedback_message_id_foreign" foreign key ("message_id") references "messages" ("id") on delete cascade;`);
    this.addSql(`alter table "feedback" add constraint "feedback_type_check" check ("type" in ('like', 'dislike'));`);

    this.addSql(`alter table "conversation_summaries" add constraint "conversation_summaries_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "conversation_summaries" add constraint "conversation_summaries_last_message_id_foreign" foreign key ("last_message_id") references "messages" ("id") on delete set null;`);

    this.addSql(`alter table "audit_events" add constraint "audit_events_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "attachments" add constraint "attachments_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "attachments" add constraint "attachments_message_id_foreign" foreign key ("message_id") references "messages" ("id") on delete cascade;`);
    this.addSql(`alter table "attachments" add constraint "attachments_type_check" check ("type" in ('image', 'document', 'generated_image'));`);

    this.addSql(`alter table "answer_cache" add constraint "answer_cache_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "user_preferences" add constraint "user_preferences_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "user_preferences" add constraint "user_preferences_source_check" check ("source" in ('explicit', 'inferred'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "model_rate_limits" drop constraint "model_rate_limits_model_id_foreign";`);
    this.addSql(`alter table "presets" drop constraint "presets_model_id_foreign";`);
    this.addSql(`alter table "conversations" drop constraint "conversations_model_id_foreign";`);
    this.addSql(`alter table "usage_monthly" drop constraint "usage_monthly_user_id_foreign";`);
    this.addSql(`alter table "usage_daily" drop constraint "usage_daily_user_id_foreign";`);
    this.addSql(`alter table "sessions" drop constraint "sessions_user_id_foreign";`);
    this.addSql(`alter table "presets" drop constraint "presets_owner_id_foreign";`);
    this.addSql(`alter table "invites" drop constraint "invites_created_by_id_foreign";`);
    this.addSql(`alter table "invites" drop constraint "invites_used_by_id_foreign";`);
    this.addSql(`alter table "conversations" drop constraint "conversations_user_id_foreign";`);
    this.addSql(`alter table "feedback" drop constraint "feedback_user_id_foreign";`);
    this.addSql(`alter table "audit_events" drop constraint "audit_events_actor_id_foreign";`);
    this.addSql(`alter table "attachments" drop constraint "attachments_user_id_foreign";`);
    this.addSql(`alter table "answer_cache" drop constraint "answer_cache_user_id_foreign";`);
    this.addSql(`alter table "user_preferences" drop constraint "user_preferences_user_id_foreign";`);
    this.addSql(`alter table "users" drop constraint "users_active_preset_id_foreign";`);
    this.addSql(`alter table "conversations" drop constraint "conversations_preset_id_foreign";`);
    this.addSql(`alter table "messages" drop constraint "messages_preset_id_foreign";`);
    this.addSql(`alter table "messages" drop constraint "messages_conversation_id_foreign";`);
    this.addSql(`alter table "feedback" drop constraint "feedback_conversation_id_foreign";`);
    this.addSql(`alter table "conversation_summaries" drop constraint "conversation_summaries_conversation_id_foreign";`);
    this.addSql(`alter table "feedback" drop constraint "feedback_message_id_foreign";`);
    this.addSql(`alter table "conversation_summaries" drop constraint "conversation_summaries_last_message_id_foreign";`);
    this.addSql(`alter table "attachments" drop constraint "attachments_message_id_foreign";`);

    this.addSql(`drop table if exists "ai_identity" cascade;`);
    this.addSql(`drop table if exists "login_throttles" cascade;`);
    this.addSql(`drop table if exists "models" cascade;`);
    this.addSql(`drop table if exists "model_rate_limits" cascade;`);
    this.addSql(`drop table if exists "summary_settings" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
    this.addSql(`drop table if exists "usage_monthly" cascade;`);
    this.addSql(`drop table if exists "usage_daily" cascade;`);
    this.addSql(`drop table if exists "sessions" cascade;`);
    this.addSql(`drop table if exists "presets" cascade;`);
    this.addSql(`drop table if exists "invites" cascade;`);
    this.addSql(`drop table if exists "conversations" cascade;`);
    this.addSql(`drop table if exists "messages" cascade;`);
    this.addSql(`drop table if exists "feedback" cascade;`);
    this.addSql(`drop table if exists "conversation_summaries" cascade;`);
    this.addSql(`drop table if exists "audit_events" cascade;`);
    this.addSql(`drop table if exists "attachments" cascade;`);
    this.addSql(`drop table if exists "answer_cache" cascade;`);
    this.addSql(`drop table if exists "user_preferences" cascade;`);
  }

}
