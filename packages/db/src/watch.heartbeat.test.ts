import net from 'node:net';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { openOrm } from './config';
import { createPostgresDatabase } from './testing';
import { listenForChanges, listenOn, tableWatchOf } from './watch';

/**
 * A TCP relay to PostgreSQL whose `silence()` turns every link open at that moment into a
 * half-open one: nothing more passes either way and nobody is told (no reset, no close), as after
 * a network fault or a failover. Links opened afterwards pass as usual.
 */
async function silenceableRelay(databaseUrl: string) {
  const target = new URL(databaseUrl);
  const links = new Set<{ silent: boolean; sockets: net.Socket[] }>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    const link = { silent: false, sockets: [client, upstream] };
    links.add(link);
    const pass = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => void (link.silent || to.write(chunk)));
    pass(client, upstream);
    pass(upstream, client);
    const close = () => {
      links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    silence: () => links.forEach((link) => (link.silent = true)),
    async close() {
      links.forEach((link) => link.sockets.forEach((socket) => socket.destroy()));
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function notify(databaseUrl: string, channel: string, payload: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_notify($1, $2)', [channel, payload]);
  } finally {
    await client.end();
  }
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('the LISTEN connection on postgresql', () => {
  it('is given up as lost when it stops answering its heartbeat, and listens again on a new connection', async () => {
    const database = await createPostgresDatabase();
    const relay = await silenceableRelay(database.url);
    const orm = await openOrm({ kind: 'postgresql', url: relay.url }, { pool: { min: 0 } });
    const heard: string[] = [];
    const stop = await listenOn(
      orm,
      'atrium_heartbeat_test',
      {
        onPayload: (payload) => heard.push(payload ?? ''),
        onUp: () => heard.push('(up)'),
        onDown: () => heard.push('(down)'),
      },
      { everyMs: 50, timeoutMs: 300 },
    );
    try {
      await notify(database.url, 'atrium_heartbeat_test', 'before');
      await vi.waitFor(() => expect(heard).toEqual(['(up)', 'before']));

      relay.silence();
      // No error and no close reach the client: only the unanswered heartbeat tells.
      await vi.waitFor(() => expect(heard).toContain('(down)'), { timeout: 5_000, interval: 20 });
      await vi.waitFor(() => expect(heard.filter((event) => event === '(up)')).toHaveLength(2), {
        timeout: 5_000,
        interval: 20,
      });

      await notify(database.url, 'atrium_heartbeat_test', 'after');
      await vi.waitFor(() => expect(heard.at(-1)).toBe('after'));
      expect(heard).toEqual(['(up)', 'before', '(down)', '(up)', 'after']);
    } finally {
      await stop();
      // The silenced links first: a goodbye on one of them would wait forever.
      await relay.close();
      await orm.close(true);
      await database.drop();
    }
  });

  it('sets the watch down while it is silent, so caches read through, and live again once it is back', async () => {
    const database = await createPostgresDatabase();
    const relay = await silenceableRelay(database.url);
    const orm = await openOrm({ kind: 'postgresql', url: relay.url }, { pool: { min: 0 } });
    const watch = tableWatchOf(orm);
    const states: string[] = [];
    const unsubscribe = watch.subscribeRows((key) => key === 'all' && states.push(watch.state));
    const stop = await listenForChanges(orm, { everyMs: 50, timeoutMs: 300 });
    try {
      expect(watch.state).toBe('live');
      relay.silence();
      await vi.waitFor(() => expect(states).toContain('down'), { timeout: 5_000, interval: 20 });
      await vi.waitFor(() => expect(watch.state).toBe('live'), { timeout: 5_000, interval: 20 });
      // The watch's state at each drop of everything cached: the first LISTEN, the silence found
      // (down: caches read through from here), the new LISTEN (which then goes live).
      expect(states).toEqual(['local', 'down', 'down']);
    } finally {
      unsubscribe();
      await stop();
      // The silenced links first: a goodbye on one of them would wait forever.
      await relay.close();
      await orm.close(true);
      await database.drop();
    }
  });
});
