/**
 * A bare API server process (express + tRPC, no Remix) on an ephemeral loopback port; prints
 * `listening <url>`. The race tests start two of these against one PostgreSQL.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createOpenAiRouter } from '../openai';
import { createTrpcMiddleware } from './http';
import { createApiRuntime } from './runtime';

const runtime = await createApiRuntime();
const app = express();
app.set('trust proxy', 'loopback');
app.use('/api/trpc', createTrpcMiddleware(runtime));
app.use('/v1', createOpenAiRouter(runtime));
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
const stop = () => server.close(() => void runtime.close().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
