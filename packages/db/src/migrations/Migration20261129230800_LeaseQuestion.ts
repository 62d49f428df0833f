import { Migration } from '@mikro-orm/migrations';

export class Migration20261129230800_LeaseQuestion extends Migration {

  override name = 'Migration20261129230800_LeaseQuestion';

  override up(): void | Promise<void> {
    this.addSql(`alter table "token_lease" add "question_id" uuid null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "token_lease" drop column "question_id";`);
  }

}
