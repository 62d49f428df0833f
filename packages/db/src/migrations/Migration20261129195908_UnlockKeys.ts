import { Migration } from '@mikro-orm/migrations';

export class Migration20261129195908_UnlockKeys extends Migration {

  override name = 'Migration20261129195908_UnlockKeys';

  override up(): void | Promise<void> {
    this.addSql(`alter table "models" add "required_unlock" varchar(64) null;`);

    this.addSql(`alter table "presets" add "required_unlock" varchar(64) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "models" drop column "required_unlock";`);

    this.addSql(`alter table "presets" drop column "required_unlock";`);

  }

}
