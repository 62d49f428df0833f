import { z } from 'zod';

/** Shapes shared by several routers. */
export const idSchema = z.uuid({ error: 'Not a valid id.' });
export const byIdInput = z.object({ id: idSchema });
export const pageInput = z.object({
  limit: z.number().int().min(1).max(100).default(25),
  offset: z.number().int().min(0).max(1_000_000).default(0),
});
