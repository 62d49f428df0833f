import { en as attachments } from '../attachments.en';
import { en as chat } from '../chat.en';
import { en as share } from '../share.en';

/** The strings every page needs (the chat's, the header's): the one chunk the chat's pages load. */
export const en = {
  web: {
    ...chat,
    ...attachments,
    ...share,
    nav: { home: 'Home' },
  },
};
