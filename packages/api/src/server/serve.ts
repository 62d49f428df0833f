/**
 * A bare API server process (express + tRPC, no Remix) on an ephemeral loopback port;
 * prints `listening <url>`. The race, shutdown and logging tests start these against one database.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { logger } from '../observability/log';
import { createOpenAiRouter } from '../openai';
import { createTrpcMiddleware } from './http';
import { createOperationsRouter, requestObservers } from './operations';
import { createApiRuntime } from './runtime';
import { httpListener, stopOnSignals } from './shutdown';

const runtime = await createApiRuntime();
const app = express();
app.set('trust proxy', 'loopback');
app.use(requestObservers());
app.use(createOperationsRouter(runtime));
app.use('/api/trpc', createTrpcMiddleware(runtime));
app.use('/v1', createOpenAiRouter(runtime));
const server = app.listen(0, '127.0.0.1', () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The line the test kit waits for, on stdout whatever the log format.
  process.stdout.write(`listening ${url}\n`);
  logger.info({ url, metrics: runtime.operations.metricsUrl }, 'API server listening');
});
stopOnSignals(runtime, [httpListener(server)]);
