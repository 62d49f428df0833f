import { describe, expect, it } from 'vitest';
import { sendInput } from './send-input';

describe('what a question sends', () => {
  it('names the style picked for a new conversation, and none for a follow-up, which then keeps the conversation’s style', () => {
    expect(sendInput({ content: 'Hi', modelId: 'demo', presetId: 'style-1' })).toEqual({
      conversationId: null,
      content: 'Hi',
      modelId: 'demo',
      presetId: 'style-1',
      editOf: null,
      attachmentIds: [],
    });
    // Picked "no style" for a new conversation: asked for explicitly.
    expect(sendInput({ content: 'Hi', presetId: null })).toMatchObject({ presetId: null });
    const followUp = sendInput({ conversationId: 'c1', content: 'And then?', attachmentIds: ['a1'] });
    expect(followUp).toEqual({ conversationId: 'c1', content: 'And then?', modelId: null, editOf: null, attachmentIds: ['a1'] });
    expect('presetId' in followUp).toBe(false);
  });
});
