import { useEffect, useLayoutEffect } from 'react';

/** A layout effect in the browser; on the server, where layout effects do nothing, React is not made to say so. */
export const useClientLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;
