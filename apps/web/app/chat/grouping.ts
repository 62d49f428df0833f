/** The sidebar's sections: named groups (alphabetical), then the ungrouped "Recent" conversations. */
export type ConversationSection<T> = { group: string | null; items: T[] };

/**
 * Sorts the loaded conversations (newest first, as the API pages them) into sections. Groups
 * the API knows of but whose conversations are not loaded yet still get an empty section, so
 * the sidebar shows every group from the first page on.
 */
export function groupConversations<T extends { group: string | null }>(items: readonly T[], knownGroups: readonly string[] = []): ConversationSection<T>[] {
  const byGroup = new Map<string, T[]>(knownGroups.map((name) => [name, []]));
  const recent: T[] = [];
  for (const item of items) {
    if (item.group === null) recent.push(item);
    else byGroup.set(item.group, [...(byGroup.get(item.group) ?? []), item]);
  }
  const groups = [...byGroup.entries()]
    .sort(([a], [b]) => a.localeCompare(b, undefined, { sensitivity: 'base' }))
    .map(([group, grouped]) => ({ group, items: grouped }));
  return [...groups, { group: null, items: recent }];
}

/** Conversations from every loaded page, each once (a conversation that moved up can appear on two pages). */
export function flattenPages<T extends { id: string }>(pages: readonly { items: readonly T[] }[]): T[] {
  const seen = new Set<string>();
  const items: T[] = [];
  for (const page of pages) {
    for (const item of page.items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      items.push(item);
    }
  }
  return items;
}
