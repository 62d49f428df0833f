/**
 * The benchmark's upstream in a process of its own, so that neither Atrium's server nor the
 * direct client pays for producing the stream. The parent sets the reply over IPC and can ask
 * what the last request carried (to send the direct call the very same prompt).
 */
import { startStubUpstream, type StubReply } from '@atrium/testing/stub';

type Command = { id: number; type: 'reply'; reply: StubReply } | { id: number; type: 'lastRequest' } | { id: number; type: 'close' };

const options: { defaultReply: StubReply; keepAliveTimeoutMs: number } = { defaultReply: { text: 'Hello.' }, keepAliveTimeoutMs: 10 * 60_000 };
const stub = await startStubUpstream(options);

process.on('message', (command: Command) => {
  switch (command.type) {
    case 'reply':
      options.defaultReply = command.reply;
      // Recorded requests are not needed beyond the last one: keep the stub's memory flat.
      stub.reset();
      process.send!({ id: command.id });
      break;
    case 'lastRequest': {
      const last = stub.lastRequest;
      process.send!({ id: command.id, body: last?.body ?? null, messages: last?.messages ?? null, receivedAt: last?.receivedAt ?? null });
      break;
    }
    case 'close':
      void stub.close().then(() => process.exit(0));
      break;
  }
});
// The benchmark owns this process: when it goes, so does this.
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true, url: stub.url });
