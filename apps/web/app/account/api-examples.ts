/** The examples, filled in with this server's address and a model the reader may use. */
export function apiExamples(origin: string, model: string) {
  const baseUrl = `${origin}/v1`;
  return {
    baseUrl,
    python: `import os
from openai import OpenAI

client = OpenAI(base_url="${baseUrl}", api_key=os.environ["ATRIUM_API_KEY"])

stream = client.chat.completions.create(
    model="${model}",
    messages=[{"role": "user", "content": "Explain photosynthesis in two sentences."}],
    stream=True,
)
for chunk in stream:
    print(chunk.choices[0].delta.content or "", end="")`,
    javascript: `import OpenAI from 'openai';

const client = new OpenAI({ baseURL: '${baseUrl}', apiKey: process.env.ATRIUM_API_KEY });

const completion = await client.chat.completions.create({
  model: '${model}',
  messages: [{ role: 'user', content: 'Explain photosynthesis in two sentences.' }],
});
console.log(completion.choices[0].message.content);`,
    curl: `curl ${baseUrl}/chat/completions \\
  -H "Authorization: Bearer $ATRIUM_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "${model}", "messages": [{"role": "user", "content": "Hello!"}]}'`,
    client: `import { createAtriumClient } from '@atrium/client';

const atrium = createAtriumClient({ url: '${origin}', token: process.env.ATRIUM_API_KEY });
console.log(await atrium.usage.mine.query());`,
  };
}
