import { z } from 'zod';
import { THEMES } from '@atrium/db';

export const deleteAccountInput = z.object({
  password: z.string().min(1, 'Enter your password.').max(1024),
  confirmUsername: z.string().trim().min(1, 'Type your username to confirm.').max(255),
});

/** The apps' languages (`@atrium/ui`'s `languages`); the account keeps the student's pick. */
export const LANGUAGES = ['en', 'tr'] as const;

/** The model and style a new chat starts with; null forgets the choice. */
export const saveChoicesInput = z
  .object({
    modelId: z.string().trim().min(1).max(128).nullable().optional(),
    presetId: z.uuid({ error: 'Not a valid id.' }).nullable().optional(),
  })
  .refine((input) => input.modelId !== undefined || input.presetId !== undefined, 'Choose a model or a style.');

/** How the apps look for me on every device; null language follows the browser again. */
export const saveLookInput = z
  .object({
    theme: z.enum(THEMES).optional(),
    language: z.enum(LANGUAGES).nullable().optional(),
  })
  .refine((input) => input.theme !== undefined || input.language !== undefined, 'Choose a theme or a language.');
