import { Migration } from '@mikro-orm/migrations';

export class Migration20261129162800_JsonDefaultsApiSettings extends Migration {

  override name = 'Migration20261129162800_JsonDefaultsApiSettings';

  override up(): void | Promise<void> {
    // Written with the old string default, the roles are the JSON string '["staff","admin"]':
    // store the array it encodes.
    this.addSql(
      `update "api_settings" set "key_roles" = ("key_roles" #>> '{}')::jsonb where jsonb_typeof("key_roles") = 'string' and left(btrim("key_roles" #>> '{}'), 1) = '[';`,
    );
    this.addSql(`update "api_settings" set "key_roles" = '["staff","admin"]'::jsonb where jsonb_typeof("key_roles") <> 'array';`);
  }

  override down(): void | Promise<void> {}

}
