import { useRouteLoaderData } from '@remix-run/react';
import type { loader } from './root';

/** The root loader's answer (language, product name) from anywhere in the tree. */
export const useRootData = () => useRouteLoaderData<typeof loader>('root');
export type RootLoader = typeof loader;
