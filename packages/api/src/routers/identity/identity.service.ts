import type { PromptIdentity } from '@atrium/ai';
import { AiIdentity, IDENTITY_LANGUAGES, SINGLETON_ID, type EntityManager, type IdentityLanguage, type IUser } from '@atrium/db';
import type { IdentityFields } from '../../platform/platform.parts';

/** The singleton entity, for an admin's change; created with its defaults if a seed never ran. */
export async function loadIdentity(em: EntityManager) {
  return (await em.findOne(AiIdentity, SINGLETON_ID)) ?? em.create(AiIdentity, { id: SINGLETON_ID });
}

const isIdentityLanguage = (language: string | null | undefined): language is IdentityLanguage =>
  (IDENTITY_LANGUAGES as readonly string[]).includes(language ?? '');

/**
 * The language the assistant speaks about itself to this user: the one saved on their account,
 * else the page's (cookie or browser), else English.
 */
export function identityLanguageOf(user: Pick<IUser, 'language'> | null | undefined, pageLanguage?: string | null): IdentityLanguage {
  if (isIdentityLanguage(user?.language)) return user.language;
  return isIdentityLanguage(pageLanguage) ? pageLanguage : 'en';
}

/** The identity in one language, as the prompt reads it; an empty translation falls back to English. */
export function identityIn(identity: Pick<IdentityFields, keyof PromptIdentity>, language: IdentityLanguage): PromptIdentity {
  return {
    displayName: identity.displayName,
    productFamily: identity.productFamily,
    developerName: identity.developerName[language]?.trim() || identity.developerName.en,
    shortIntro: identity.shortIntro[language]?.trim() || identity.shortIntro.en,
    forbidProviderMention: identity.forbidProviderMention,
  };
}
