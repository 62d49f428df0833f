import { describe, expect, it } from 'vitest';
import { flattenPages, groupConversations } from './grouping';

const chat = (id: string, group: string | null) => ({ id, group });

describe('the sidebar sections', () => {
  it('puts named groups first, alphabetically, and ungrouped chats last under Recent, keeping the order within each', () => {
    const sections = groupConversations([chat('1', null), chat('2', 'thesis'), chat('3', 'Algebra'), chat('4', null), chat('5', 'thesis')]);
    expect(sections.map((section) => [section.group, section.items.map((item) => item.id)])).toEqual([
      ['Algebra', ['3']],
      ['thesis', ['2', '5']],
      [null, ['1', '4']],
    ]);
  });

  it('shows groups the server knows of even before their chats are loaded', () => {
    const sections = groupConversations([chat('1', null)], ['Physics']);
    expect(sections).toEqual([
      { group: 'Physics', items: [] },
      { group: null, items: [chat('1', null)] },
    ]);
  });

  it('always has a Recent section, even when empty', () => {
    expect(groupConversations([])).toEqual([{ group: null, items: [] }]);
  });

  it('lists each conversation once across pages', () => {
    const items = flattenPages([{ items: [chat('1', null), chat('2', null)] }, { items: [chat('2', null), chat('3', null)] }]);
    expect(items.map((item) => item.id)).toEqual(['1', '2', '3']);
  });
});
