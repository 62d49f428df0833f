import { Migration } from '@mikro-orm/migrations';
import { FOLD_FUNCTION_SQL } from '../search-fold';

export class Migration20261129171600_MessageSearch extends Migration {

  override name = 'Migration20261129171600_MessageSearch';

  override up(): void | Promise<void> {
    // The folding the index is built on (Turkish İ/I/ı/i and diacritics); it must exist first.
    this.addSql(FOLD_FUNCTION_SQL);
    this.addSql(`create index "messages_search_index" on "messages" using gin (to_tsvector('simple'::regconfig, atrium_fold(content)));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "messages_search_index";`);
    this.addSql(`drop function if exists atrium_fold(text);`);
  }

}
