import { Migration } from '@mikro-orm/migrations';

/**
 * `atrium_refuse(limit)`: raises SQLSTATE AT429 naming the limit. Admission is one autocommit
 * statement (limits.service.ts): when a limit refuses, the statement calls this so that the
 * writes that rode on it (the day's request, the lease, the question) are undone with it.
 */
export class Migration20261130110000_AdmissionRefusal extends Migration {

  override name = 'Migration20261130110000_AdmissionRefusal';

  override up(): void | Promise<void> {
    this.addSql(`create or replace function "atrium_refuse"("limit_name" text) returns int as \$\$ begin raise exception using errcode = 'AT429', message = 'atrium_refuse: ' || limit_name; end; \$\$ language plpgsql volatile;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop function if exists "atrium_refuse"(text);`);
  }

}
