import { z } from 'zod';

export const deleteAccountInput = z.object({
  password: z.string().min(1, 'Enter your password.').max(1024),
  confirmUsername: z.string().trim().min(1, 'Type your username to confirm.').max(255),
});
