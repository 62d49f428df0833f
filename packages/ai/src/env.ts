import { z } from 'zod';

// `.env` files write unset variables as `NAME=`: an empty string means "not set".
const blank = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema);
const url = (name: string) => z.url({ protocol: /^https?$/, error: `${name} must be an http(s) URL` }).optional();

const schema = z.object({
  GROQ_API_KEY: blank(z.string().optional()),
  GROQ_BASE_URL: blank(url('GROQ_BASE_URL')),
  OPENAI_API_KEY: blank(z.string().optional()),
  OPENAI_BASE_URL: blank(url('OPENAI_BASE_URL')),
  LOCAL_LLM_BASE_URL: blank(url('LOCAL_LLM_BASE_URL')),
  LOCAL_LLM_API_KEY: blank(z.string().optional()),
  DEMO_LLM_BASE_URL: blank(url('DEMO_LLM_BASE_URL')),
  // The longest the upstream may stay silent: before the first token, and between tokens.
  LLM_TIMEOUT_MS: blank(z.coerce.number().int().positive().default(60_000)),
  // Before the first token only (prompt processing on a local engine can be slow); default LLM_TIMEOUT_MS.
  LLM_FIRST_TOKEN_TIMEOUT_MS: blank(z.coerce.number().int().positive().optional()),
  // The longest an image generation model may take for its whole answer.
  LLM_IMAGE_TIMEOUT_MS: blank(z.coerce.number().int().positive().default(120_000)),
});

export type AiEnv = z.infer<typeof schema>;

export function readAiEnv(source: NodeJS.ProcessEnv = process.env): AiEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid AI environment: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
