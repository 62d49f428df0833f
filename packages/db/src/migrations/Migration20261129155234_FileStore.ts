import { Migration } from '@mikro-orm/migrations';

export class Migration20261129155234_FileStore extends Migration {

  override name = 'Migration20261129155234_FileStore';

  override up(): void | Promise<void> {
    this.addSql(`create table "file_objects" ("key" varchar(512) not null, "size" bigint not null default '0', "content_type" varchar(255) null, "complete" boolean not null default false, "created_at" timestamptz not null, primary key ("key"));`);

    this.addSql(`create table "file_chunks" ("object_key" varchar(512) not null, "seq" int not null, "data" bytea not null, primary key ("object_key", "seq"));`);

    this.addSql(`alter table "file_chunks" add constraint "file_chunks_object_key_foreign" foreign key ("object_key") references "file_objects" ("key") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "file_chunks" drop constraint "file_chunks_object_key_foreign";`);

    this.addSql(`drop table if exists "file_objects" cascade;`);
    this.addSql(`drop table if exists "file_chunks" cascade;`);
  }

}
