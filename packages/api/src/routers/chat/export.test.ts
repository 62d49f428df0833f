import { Conversation, Message } from '@atrium/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';
import { exportFileName } from './export.service';

describe('exporting a conversation', () => {
  let kit: ApiTestKit;
  beforeAll(async () => {
    kit = await createApiTestKit('pglite');
  });
  afterAll(() => kit?.close());

  it('exports the branch in view as Markdown and JSON, and nobody else can', async () => {
    const me = await kit.signedIn();
    const other = await kit.signedIn();
    const conversation = await me.caller.chat.create({ title: 'Öğrenci işleri: kayıt' });
    const em = kit.db.orm.em.fork();
    const question = em.create(Message, { conversation: conversation.id, role: 'user', content: 'How do I register?', createdAt: new Date(Date.UTC(2026, 0, 1)) });
    em.create(Message, { conversation: conversation.id, parent: question, role: 'assistant', content: 'An older answer.', model: 'demo', createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 1)) });
    const answer = em.create(Message, { conversation: conversation.id, parent: question, role: 'assistant', content: 'Use the **portal**.', model: 'demo', createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 2)) });
    await em.flush();
    await em.nativeUpdate(Conversation, { id: conversation.id }, { activeLeaf: answer.id });

    const markdown = await me.caller.chat.export({ id: conversation.id, format: 'markdown' });
    expect(markdown).toMatchObject({ fileName: 'ogrenci-isleri-kayit.md', mimeType: 'text/markdown' });
    expect(markdown.content).toContain('# Öğrenci işleri: kayıt');
    expect(markdown.content).toContain('## You\n\nHow do I register?');
    expect(markdown.content).toContain('## Assistant (demo)\n\nUse the **portal**.');
    expect(markdown.content).not.toContain('An older answer.');

    const json = await me.caller.chat.export({ id: conversation.id, format: 'json' });
    expect(json.fileName).toBe('ogrenci-isleri-kayit.json');
    const body = JSON.parse(json.content);
    expect(body).toMatchObject({ title: 'Öğrenci işleri: kayıt', conversationId: conversation.id });
    expect(body.messages.map((message: { role: string; content: string }) => [message.role, message.content])).toEqual([
      ['user', 'How do I register?'],
      ['assistant', 'Use the **portal**.'],
    ]);

    await expect(other.caller.chat.export({ id: conversation.id, format: 'json' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(kit.anonymous().chat.export({ id: conversation.id, format: 'json' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('names files from any title', () => {
    expect(exportFileName('!!!', 'markdown')).toBe('chat.md');
    expect(exportFileName('Işık hızı — İstanbul', 'json')).toBe('isik-hizi-istanbul.json');
  });
});
