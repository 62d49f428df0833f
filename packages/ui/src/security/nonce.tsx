import { createContext, useContext } from 'react';

/**
 * The Content-Security-Policy nonce of the page being rendered on the server, for Remix's inline
 * scripts. In the browser it is empty: the browser hides nonces from the page once it loads, and
 * scripts added after hydration are modules from our own origin.
 */
export const NonceContext = createContext('');
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
