import { commonEn } from '@atrium/ui/strings/en';
import { en as attachments } from '../attachments.en';
import { en as chat } from '../chat.en';
import { en as share } from '../share.en';

/**
 * The strings every page needs (the chat's, the header's, and @atrium/ui's shared ones at the
 * top level): the one chunk the chat's pages load.
 */
export const en = {
  ...commonEn,
  web: {
    ...chat,
    ...attachments,
    ...share,
    nav: { home: 'Home' },
  },
};
