/**
 * The bench's own processes (`server.process.ts`, `stub.process.ts`), forked with an IPC channel:
 * `call` sends a command and resolves with the reply carrying its id; `close` asks the process to
 * stop and waits until it has.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export type BenchChild = {
  child: ChildProcess;
  url: string;
  call<T = Record<string, unknown>>(message: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
};

export function startBenchChild(script: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<BenchChild> {
  // The bench's own database comes in `env`, never from the caller's shell.
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = fork(join(here, script), [], { execArgv: [...nodeFlags, '--import', 'tsx'], env: { ...inherited, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let id = 0;
  const waiting = new Map<number, (value: unknown) => void>();
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.on('message', (message: { ready?: boolean; url?: string; id?: number }) => {
      if (!message.ready) return waiting.get(message.id!)?.(message);
      resolve({
        child,
        url: message.url!,
        call: <T>(body: Record<string, unknown>) => new Promise<T>((done) => (waiting.set(++id, done as (value: unknown) => void), child.send({ ...body, id }))),
        async close() {
          // Drop the "exited early" rejection above before asking for the exit.
          child.removeAllListeners('exit');
          const exited = new Promise((done) => child.once('exit', done));
          child.send({ type: 'close', id: 0 });
          await exited;
        },
      });
    });
  });
}
