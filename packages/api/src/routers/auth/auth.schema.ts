import { newPasswordSchema, usernameSchema } from '@atrium/auth';
import { z } from 'zod';

export const signInInput = z.object({
  username: z.string().trim().min(1, 'Enter your username.').max(255),
  password: z.string().min(1, 'Enter your password.').max(1024),
  rememberMe: z.boolean().default(false),
  /** Set by the admin app: only administrators may sign in there. */
  adminOnly: z.boolean().default(false),
});

export const registerInput = z.object({
  code: z.string().trim().min(4, 'Enter your invite code.').max(64),
  username: usernameSchema,
  displayName: z.string().trim().min(1, 'Enter your name.').max(120),
  email: z.email('Enter a valid email address.').max(320).optional().or(z.literal('').transform(() => undefined)),
  password: newPasswordSchema,
});

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, 'Enter your current password.').max(1024),
  newPassword: newPasswordSchema,
});
