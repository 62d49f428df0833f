import { z } from 'zod';
import { patchOf } from '../../schemas';

export const presetFieldsInput = z.object({
  name: z.string().trim().min(1, 'Give the preset a name.').max(120),
  description: z.string().trim().max(2000).nullable().default(null),
  systemPromptTemplate: z.string().trim().min(1, 'Write the instructions.').max(20_000),
  temperature: z.number().min(0).max(2).nullable().default(null),
  maxTokens: z.number().int().min(1).max(200_000).nullable().default(null),
  modelId: z.string().min(1).max(128).nullable().default(null),
});
export const presetPatchInput = patchOf(presetFieldsInput);

/** An unlock key, as user unlocks name them (`setUnlocks`); null: no key needed. */
export const unlockKeyInput = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w.-]+$/, 'Use letters, digits, dots, dashes and underscores.')
  .nullable();

/** Global presets may be kept for the holders of an unlock key. */
export const globalPresetFieldsInput = presetFieldsInput.extend({ requiredUnlock: unlockKeyInput.default(null) });
export const globalPresetPatchInput = patchOf(presetFieldsInput).extend({ requiredUnlock: unlockKeyInput.optional() });
