import type { Messages } from '@atrium/ui';
import { tr as apiKeys } from '../apiKeys.tr';
import { tr as auth } from '../auth.tr';
import { tr as data } from '../data.tr';
import { tr as memory } from '../memory.tr';
import { tr as usage } from '../usage.tr';
import type { en } from './account.en';

/** The Turkish side of `./account.en.ts`. */
export const tr: Messages<typeof en> = {
  web: {
    ...auth,
    ...memory,
    ...data,
    ...apiKeys,
    ...usage,
  },
};
