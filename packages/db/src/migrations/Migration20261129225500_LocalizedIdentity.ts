import { Migration } from '@mikro-orm/migrations';

/**
 * The identity's developer and introduction become one text per language. What an admin wrote
 * stays the English text; the Turkish text starts as the Turkish default where the English one
 * is still the default, and as the admin's own words otherwise (to be translated on the page).
 */
export class Migration20261129225500_LocalizedIdentity extends Migration {

  override name = 'Migration20261129225500_LocalizedIdentity';

  override up(): void | Promise<void> {
    this.addSql(`alter table "ai_identity" alter column "developer_name" drop default;`);
    this.addSql(`alter table "ai_identity" alter column "developer_name" type jsonb using jsonb_build_object('en', "developer_name", 'tr', case when "developer_name" = 'the university' then 'üniversite' else "developer_name" end);`);
    this.addSql(`alter table "ai_identity" alter column "developer_name" set default '{"en":"the university","tr":"üniversite"}';`);

    this.addSql(`alter table "ai_identity" alter column "short_intro" drop default;`);
    this.addSql(`alter table "ai_identity" alter column "short_intro" type jsonb using jsonb_build_object('en', "short_intro", 'tr', case when "short_intro" = 'I am an AI assistant for students and staff.' then 'Öğrenciler ve çalışanlar için bir yapay zekâ asistanıyım.' else "short_intro" end);`);
    this.addSql(`alter table "ai_identity" alter column "short_intro" set default '{"en":"I am an AI assistant for students and staff.","tr":"Öğrenciler ve çalışanlar için bir yapay zekâ asistanıyım."}';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "ai_identity" alter column "developer_name" drop default;`);
    this.addSql(`alter table "ai_identity" alter column "developer_name" type varchar(200) using "developer_name" ->> 'en';`);
    this.addSql(`alter table "ai_identity" alter column "developer_name" set default 'the university';`);

    this.addSql(`alter table "ai_identity" alter column "short_intro" drop default;`);
    this.addSql(`alter table "ai_identity" alter column "short_intro" type text using "short_intro" ->> 'en';`);
    this.addSql(`alter table "ai_identity" alter column "short_intro" set default 'I am an AI assistant for students and staff.';`);
  }

}
