import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { jsonWithDefault, notifyPlatformChange, updatedAt } from './common';

/** The languages the identity is written in: the apps' languages. */
export const IDENTITY_LANGUAGES = ['en', 'tr'] as const;
export type IdentityLanguage = (typeof IDENTITY_LANGUAGES)[number];
/** A text the assistant says about itself, once per language, so a Turkish student never reads half English. */
export type LocalizedText = Record<IdentityLanguage, string>;

export const DEFAULT_DEVELOPER_NAME: LocalizedText = { en: 'the university', tr: 'üniversite' };
export const DEFAULT_SHORT_INTRO: LocalizedText = {
  en: 'I am an AI assistant for students and staff.',
  tr: 'Öğrenciler ve çalışanlar için bir yapay zekâ asistanıyım.',
};

/**
 * Singleton (id 1): who the assistant says it is. Names (`displayName`, `productFamily`) are the
 * same in every language; the developer and the introduction are written per language.
 */
export const AiIdentity = defineEntity({
  name: 'AiIdentity',
  tableName: 'ai_identity',
  triggers: [notifyPlatformChange()],
  properties: {
    id: p.integer().primary().autoincrement(false),
    displayName: p.string().length(120).default('Atrium'),
    developerName: jsonWithDefault<LocalizedText>(DEFAULT_DEVELOPER_NAME),
    productFamily: p.string().length(120).default('Atrium'),
    shortIntro: jsonWithDefault<LocalizedText>(DEFAULT_SHORT_INTRO),
    forbidProviderMention: p.boolean().default(true),
    // Bumped on every change: cached answers made under an older identity are not served.
    revision: p.integer().default(1),
    updatedAt: updatedAt(),
  },
});
export type IAiIdentity = InferEntity<typeof AiIdentity>;
