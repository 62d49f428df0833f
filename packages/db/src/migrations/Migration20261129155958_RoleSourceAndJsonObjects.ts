import { Migration } from '@mikro-orm/migrations';

const JSON_OBJECT_COLUMNS = [
  ['users', 'unlocks'],
  ['users', 'limits'],
  ['users', 'permissions'],
  ['messages', 'metadata'],
  ['audit_events', 'data'],
] as const;

export class Migration20261129155958_RoleSourceAndJsonObjects extends Migration {

  override name = 'Migration20261129155958_RoleSourceAndJsonObjects';

  override up(): void | Promise<void> {
    this.addSql(`alter table "users" add "role_source" text not null default 'administrator';`);
    this.addSql(`alter table "users" add constraint "users_role_source_check" check ("role_source" in ('directory', 'administrator'));`);
    // Directory accounts had their role re-applied at every sign-in: that is the directory's rule.
    this.addSql(`update "users" set "role_source" = 'directory' where "auth_source" <> 'local';`);
    // Rows written with the old string default hold the JSON string "{}" (or another encoded
    // object): store the object it encodes.
    for (const [table, column] of JSON_OBJECT_COLUMNS) {
      this.addSql(
        `update "${table}" set "${column}" = ("${column}" #>> '{}')::jsonb where jsonb_typeof("${column}") = 'string' and left(btrim("${column}" #>> '{}'), 1) = '{';`,
      );
      this.addSql(`update "${table}" set "${column}" = '{}'::jsonb where jsonb_typeof("${column}") <> 'object';`);
    }
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "users" drop constraint "users_role_source_check";`);
    this.addSql(`alter table "users" drop column "role_source";`);
  }

}
