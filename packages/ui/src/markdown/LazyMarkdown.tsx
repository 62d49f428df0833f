import { lazy, Suspense, useEffect } from 'react';

const loadMarkdown = () => import('./Markdown');
const MarkdownModule = lazy(() => loadMarkdown().then((module) => ({ default: module.Markdown })));

/**
 * The markdown renderer (micromark, GFM, hast) is the heaviest part of the chat and a new chat
 * has nothing to format at first paint, so it is its own chunk: fetched when the browser is idle
 * after the page is up, or at once when a message needs it. Until it arrives, a message shows as
 * plain text. A server-rendered page keeps its formatted HTML while the chunk loads (React
 * hydrates the boundary when it can).
 */
export function Markdown({ text }: { text: string }) {
  return (
    <Suspense fallback={<div className="md whitespace-pre-wrap">{text}</div>}>
      <MarkdownModule text={text} />
    </Suspense>
  );
}

/** Fetches the markdown renderer once the browser has nothing better to do. */
export function usePreloadMarkdown() {
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((callback: () => void) => window.setTimeout(callback, 200));
    idle(() => void loadMarkdown());
  }, []);
}
