import { en as styles } from '../styles.en';

/** The custom styles page's strings: a chunk loaded with that page (see `pageStringGroups`). */
export const en = { web: { ...styles } };
