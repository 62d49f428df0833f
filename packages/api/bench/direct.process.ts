/**
 * The benchmark's direct side in a process of its own: a script that calls the upstream itself
 * with the AI SDK (`streamText` on the OpenAI-compatible provider), as the reference
 * does. In the bench's own process it shared a heap and an event loop with the Atrium client,
 * whose garbage it collected and whose V8 worker threads it was charged for (~1 ms of GC and ~3
 * ms of worker threads per call, measured with the threads' own counters). Here its CPU time is
 * its own: `process.cpuUsage()` around the call, from the command's arrival to the stream's end.
 *
 * Commands over IPC: `prompt` sets the system prompt and history every call sends (what Atrium
 * sent the upstream); `call` streams one answer to `content` and replies with its timings and
 * CPU. Calls overlap as their commands arrive, so N sent together stream together (each one's
 * CPU figure then holds the others' too: the bench reads it only from calls made alone).
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { streamText, type ModelMessage } from 'ai';

type Command =
  | { id: number; type: 'prompt'; system: string; messages: ModelMessage[] }
  | { id: number; type: 'call'; content: string }
  | { id: number; type: 'close' };

const direct = createOpenAICompatible({
  name: 'direct',
  baseURL: process.env.DIRECT_UPSTREAM_URL!,
  includeUsage: true,
});
let prompt: { system: string; messages: ModelMessage[] } = { system: '', messages: [] };

async function call(content: string) {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let first = 0;
  let last = 0;
  let chunks = 0;
  const result = streamText({
    model: direct.chatModel('atrium-demo'),
    instructions: prompt.system,
    messages: [...prompt.messages, { role: 'user', content }],
    maxRetries: 0,
  });
  for await (const delta of result.textStream) {
    if (!delta) continue;
    last = performance.now();
    if (!first) first = last;
    chunks += 1;
  }
  await result.usage;
  const totalMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    firstTokenMs: first - started,
    totalMs,
    chunks,
    firstToLastMs: last - first,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

process.on('message', (command: Command) => {
  switch (command.type) {
    case 'prompt':
      prompt = { system: command.system, messages: command.messages };
      process.send!({ id: command.id });
      break;
    case 'call':
      call(command.content).then(
        (sample) => process.send!({ id: command.id, ...sample }),
        (error: Error) => process.send!({ id: command.id, error: error.message }),
      );
      break;
    case 'close':
      process.exit(0);
  }
});
// The benchmark owns this process: when it goes, so does this.
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true, url: '' });
