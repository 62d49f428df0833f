import { Migration } from '@mikro-orm/migrations';

export class Migration20261129172101_SingleSignOn extends Migration {

  override name = 'Migration20261129172101_SingleSignOn';

  override up(): void | Promise<void> {
    this.addSql(`create table "saml_assertions_seen" ("id" varchar(255) not null, "issuer" varchar(512) not null, "expires_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "saml_assertions_seen_expires_at_index" on "saml_assertions_seen" ("expires_at");`);

    this.addSql(`create table "sso_requests" ("id" varchar(255) not null, "protocol" text not null, "provider" varchar(128) not null, "data" jsonb not null, "expires_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "sso_requests_expires_at_index" on "sso_requests" ("expires_at");`);

    this.addSql(`create table "identities" ("id" uuid not null, "user_id" uuid not null, "method" text not null, "issuer" varchar(512) not null, "subject" varchar(512) not null, "first_seen_at" timestamptz not null, "last_seen_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "identities_user_id_index" on "identities" ("user_id");`);
    this.addSql(`alter table "identities" add constraint "identities_method_issuer_subject_unique" unique ("method", "issuer", "subject");`);

    this.addSql(`alter table "users" drop constraint "users_auth_source_check";`);
    this.addSql(`alter table "users" add constraint "users_auth_source_check" check ("auth_source" in ('local', 'ldap', 'oidc', 'saml'));`);

    this.addSql(`alter table "sessions" add "sign_in_method" varchar(160) null;`);

    this.addSql(`alter table "sso_requests" add constraint "sso_requests_protocol_check" check ("protocol" in ('oidc', 'saml'));`);

    this.addSql(`alter table "identities" add constraint "identities_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "identities" add constraint "identities_method_check" check ("method" in ('local', 'ldap', 'oidc', 'saml'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "saml_assertions_seen" cascade;`);
    this.addSql(`drop table if exists "sso_requests" cascade;`);
    this.addSql(`drop table if exists "identities" cascade;`);

    this.addSql(`alter table "sessions" drop column "sign_in_method";`);

    this.addSql(`alter table "users" drop constraint "users_auth_source_check";`);
    this.addSql(`alter table "users" add constraint "users_auth_source_check" check ("auth_source" in ('local', 'ldap'));`);
  }

}
