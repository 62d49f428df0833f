import { z } from 'zod';

export const presetFieldsInput = z.object({
  name: z.string().trim().min(1, 'Give the preset a name.').max(120),
  description: z.string().trim().max(2000).nullable().default(null),
  systemPromptTemplate: z.string().trim().min(1, 'Write the instructions.').max(20_000),
  temperature: z.number().min(0).max(2).nullable().default(null),
  maxTokens: z.number().int().min(1).max(200_000).nullable().default(null),
  modelId: z.string().min(1).max(128).nullable().default(null),
});
export const presetPatchInput = presetFieldsInput.partial();
