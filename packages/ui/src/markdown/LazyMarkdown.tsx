import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';

const loadMarkdown = () => import('./Markdown');

function PlainMarkdown({ text }: { text: string }) {
  return <div className="md whitespace-pre-wrap">{text}</div>;
}

/**
 * A chunk can fail to load (a network blip, or a redeploy that removed the old one while the tab
 * stayed open). React keeps a lazy component's failure for good, so a failed one shows the plain
 * text and gives way to a fresh one: the next message to need the renderer tries again.
 */
const lazyRenderer = () =>
  lazy<ComponentType<{ text: string }>>(() =>
    loadMarkdown().then(
      (module) => ({ default: module.Markdown }),
      () => {
        renderer = lazyRenderer();
        return { default: PlainMarkdown };
      },
    ),
  );
let renderer = lazyRenderer();

/**
 * The markdown renderer (micromark, GFM, hast) is the heaviest part of the chat and a new chat
 * has nothing to format at first paint, so it is its own chunk: fetched when the browser is idle
 * after the page is up, or at once when a message needs it. Until it arrives, a message shows as
 * plain text. A server-rendered page keeps its formatted HTML while the chunk loads (React
 * hydrates the boundary when it can).
 */
export function Markdown({ text }: { text: string }) {
  // Kept for the message's life: a streaming answer that failed does not retry with every word.
  const [Renderer] = useState(() => renderer);
  return (
    <Suspense fallback={<PlainMarkdown text={text} />}>
      <Renderer text={text} />
    </Suspense>
  );
}

/** Fetches the markdown renderer once the browser has nothing better to do. */
export function usePreloadMarkdown() {
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((callback: () => void) => window.setTimeout(callback, 200));
    // A failed preload costs nothing: the first message that needs the renderer tries again.
    idle(() => void loadMarkdown().catch(() => {}));
  }, []);
}
