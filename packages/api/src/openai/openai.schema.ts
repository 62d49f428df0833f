import { z } from 'zod';
import { findUnstorableText, NUL_MESSAGE } from '../hardening/unstorable-text';

/**
 * The request fields of OpenAI's Chat Completions that Atrium honours. Fields that would change
 * the answer's meaning and that Atrium cannot honour are refused with a 400 naming the field
 * (`REFUSED_FIELDS`); fields that only describe the caller are accepted and ignored
 * (`IGNORED_FIELDS`). Any other field is ignored, as most OpenAI-compatible servers do.
 */
const textPart = z.object({ type: z.literal('text'), text: z.string() });
const content = z.union([z.string(), z.array(textPart).min(1)]);

const message = z.discriminatedUnion('role', [
  z.object({ role: z.enum(['system', 'developer']), content, name: z.string().max(256).optional() }),
  z.object({ role: z.literal('user'), content, name: z.string().max(256).optional() }),
  z.object({ role: z.literal('assistant'), content: content.nullable(), name: z.string().max(256).optional() }),
]);

const nullish = <T extends z.ZodType>(schema: T) => schema.nullish();

export const chatCompletionRequest = z.object({
  model: z.string().min(1).max(128),
  messages: z.array(message).min(1).max(1000),
  temperature: nullish(z.number().min(0).max(2)),
  top_p: nullish(z.number().min(0).max(1)),
  presence_penalty: nullish(z.number().min(-2).max(2)),
  frequency_penalty: nullish(z.number().min(-2).max(2)),
  seed: nullish(z.number().int().safe()),
  max_tokens: nullish(z.number().int().min(1).max(1_000_000)),
  max_completion_tokens: nullish(z.number().int().min(1).max(1_000_000)),
  stop: nullish(z.union([z.string().min(1).max(256), z.array(z.string().min(1).max(256)).max(4)])),
  stream: nullish(z.boolean()),
  stream_options: nullish(z.object({ include_usage: z.boolean().optional() })),
  n: nullish(z.literal(1, { error: 'Only n = 1 is supported.' })),
  user: nullish(z.string().max(256)),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;

/** Refused: honouring them is not possible here, and ignoring them would silently change the answer. */
export const REFUSED_FIELDS: Record<string, (value: unknown) => boolean> = {
  tools: (value) => Array.isArray(value) && value.length > 0,
  functions: (value) => Array.isArray(value) && value.length > 0,
  tool_choice: (value) => value !== 'none',
  function_call: (value) => value !== 'none',
  response_format: (value) => (value as { type?: unknown })?.type !== 'text',
  logprobs: (value) => value === true,
  top_logprobs: () => true,
  audio: () => true,
  modalities: (value) => !(Array.isArray(value) && value.length === 1 && value[0] === 'text'),
  prediction: () => true,
  web_search_options: () => true,
};

/** Accepted and ignored, as documented in the README: they describe the caller, not the answer. */
export const IGNORED_FIELDS = ['user', 'metadata', 'store', 'service_tier', 'parallel_tool_calls', 'logit_bias', 'reasoning_effort', 'prompt_cache_key', 'safety_identifier'];

export type RequestProblem = { message: string; param: string | null; code: string | null };

/** The request, or the first problem with it in OpenAI's terms (the offending field as `param`). */
export function parseChatCompletionRequest(body: unknown): { ok: true; request: ChatCompletionRequest } | { ok: false; problem: RequestProblem } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problem: { message: 'The request body must be a JSON object.', param: null, code: null } };
  }
  for (const [field, refused] of Object.entries(REFUSED_FIELDS)) {
    const value = (body as Record<string, unknown>)[field];
    if (value !== undefined && value !== null && refused(value)) {
      return {
        ok: false,
        problem: { message: `'${field}' is not supported by this server. Remove it and try again.`, param: field, code: 'unsupported_parameter' },
      };
    }
  }
  const parsed = chatCompletionRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = paramOf(issue.path);
    const unsupportedPart = issue.path.includes('content') && issue.code === 'invalid_union';
    return {
      ok: false,
      problem: {
        message: unsupportedPart
          ? `Only text content is supported in '${param}'; images, audio and files are not.`
          : `Invalid value for '${param}': ${issue.message}`,
        param,
        code: unsupportedPart ? 'unsupported_content' : issue.code === 'invalid_type' && issue.input === undefined ? 'missing_required_parameter' : 'invalid_value',
      },
    };
  }
  const nul = findUnstorableText(parsed.data)[0];
  if (nul) return { ok: false, problem: { message: `Invalid value for '${paramOf(nul)}': ${NUL_MESSAGE}`, param: paramOf(nul), code: 'invalid_value' } };
  return { ok: true, request: parsed.data };
}

/** `messages[2].content`: the path as OpenAI's `param` spells it. */
const paramOf = (path: PropertyKey[]) =>
  path.reduce<string>((param, key) => (typeof key === 'number' ? `${param}[${key}]` : param ? `${param}.${String(key)}` : String(key)), '');

export const messageText = (value: string | { text: string }[] | null) =>
  value === null ? '' : typeof value === 'string' ? value : value.map((part) => part.text).join('');
