import { Migration } from '@mikro-orm/migrations';

export class Migration20261130084000_MessageRoots extends Migration {

  override name = 'Migration20261130084000_MessageRoots';

  override up(): void | Promise<void> {
    this.addSql(`create index "messages_roots_index" on "messages" ("conversation_id", "created_at", "id") where "parent_id" is null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "messages_roots_index";`);
  }

}
