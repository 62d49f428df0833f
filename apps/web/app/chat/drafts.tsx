import { createContext, useCallback, useContext, useRef, useState, useSyncExternalStore, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import { useClientLayoutEffect } from './use-client-layout-effect';

/**
 * Each chat's unsent text, by chat, outside any one page: whichever composer shows a chat shows its
 * text as it is now. A question given back after a refusal lands in the chat it was asked in, even
 * when the page that sent it has gone meanwhile (a new chat moving to its own page).
 */
class DraftStore {
  private readonly drafts = new Map<string, string>();
  private readonly listeners = new Set<() => void>();

  get = (key: string) => this.drafts.get(key) ?? '';

  set(key: string, text: string) {
    if (text === this.get(key)) return;
    if (text) this.drafts.set(key, text);
    else this.drafts.delete(key);
    this.listeners.forEach((listener) => listener());
  }

  /** A new chat that has been given its id keeps its text under the id only. */
  move(from: string, to: string) {
    const text = this.get(from);
    this.drafts.delete(from);
    if (text) this.set(to, text);
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
}

const Drafts = createContext<DraftStore | null>(null);

/** Holds each chat's unsent text while the chat pages are open. */
export function ChatDraftsProvider({ children }: { children: ReactNode }) {
  const [drafts] = useState(() => new DraftStore());
  return <Drafts.Provider value={drafts}>{children}</Drafts.Provider>;
}

/**
 * The composer's unsent text for one chat (`key`: its id, or the new chat's key). It outlives the
 * page showing it: a new chat moves to its own page with what was written meanwhile, and a chat
 * opened again shows what was left in it.
 */
export function useChatDraft(key: string): [string, Dispatch<SetStateAction<string>>] {
  const [own] = useState(() => new DraftStore());
  const drafts = useContext(Drafts) ?? own;
  const draft = useSyncExternalStore(drafts.subscribe, () => drafts.get(key), () => '');
  const keptAs = useRef(key);
  useClientLayoutEffect(() => {
    if (keptAs.current !== key) drafts.move(keptAs.current, key);
    keptAs.current = key;
  }, [drafts, key]);
  const setDraft = useCallback((next: SetStateAction<string>) => drafts.set(key, typeof next === 'function' ? next(drafts.get(key)) : next), [drafts, key]);
  return [draft, setDraft];
}
