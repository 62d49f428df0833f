import { createContext, useContext, useEffect, useRef, useState, type Dispatch, type ReactNode, type SetStateAction } from 'react';

const Drafts = createContext<Map<string, string> | null>(null);

/** Holds each chat's unsent text while the chat pages are open. */
export function ChatDraftsProvider({ children }: { children: ReactNode }) {
  const [drafts] = useState(() => new Map<string, string>());
  return <Drafts.Provider value={drafts}>{children}</Drafts.Provider>;
}

/**
 * The composer's unsent text for one chat (`key`: its id, or the new chat's key). It outlives the
 * page showing it: a new chat moves to its own page with what was written meanwhile, and a chat
 * opened again shows what was left in it.
 */
export function useChatDraft(key: string): [string, Dispatch<SetStateAction<string>>] {
  const drafts = useContext(Drafts);
  const [draft, setDraft] = useState(() => drafts?.get(key) ?? '');
  const keptAs = useRef(key);
  useEffect(() => {
    if (!drafts) return;
    // A new chat that has been given its id keeps its text under the id only.
    if (keptAs.current !== key) drafts.delete(keptAs.current);
    keptAs.current = key;
    if (draft) drafts.set(key, draft);
    else drafts.delete(key);
  }, [drafts, key, draft]);
  return [draft, setDraft];
}
