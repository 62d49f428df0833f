import { Migration } from '@mikro-orm/migrations';

export class Migration20261129191622_DirectoryRecheck extends Migration {

  override name = 'Migration20261129191622_DirectoryRecheck';

  override up(): void | Promise<void> {
    this.addSql(`alter table "users" add "directory_checked_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "users" drop column "directory_checked_at";`);

  }

}
