import { en as apiKeys } from '../apiKeys.en';
import { en as auth } from '../auth.en';
import { en as data } from '../data.en';
import { en as memory } from '../memory.en';
import { en as usage } from '../usage.en';

/** Sign-in, registration and the account pages' strings: a chunk loaded with those pages (see `pageStringGroups`). */
export const en = {
  web: {
    ...auth,
    ...memory,
    ...data,
    ...apiKeys,
    ...usage,
  },
};
