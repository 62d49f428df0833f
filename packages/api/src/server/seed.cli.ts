import { createApiRuntime } from './runtime';

const runtime = await createApiRuntime({ migrate: true, seed: true });
await runtime.close();
