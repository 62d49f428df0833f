import { TEMPLATE_VARIABLES as renderable } from '@atrium/ai';
import { describe, expect, it } from 'vitest';
import { insertPlaceholder, TEMPLATE_VARIABLES } from './template-variables';

describe('the preset editor’s template variables', () => {
  it('lists exactly the placeholders the prompt renderer fills', () => {
    expect(TEMPLATE_VARIABLES.map((variable) => variable.name)).toEqual([...renderable]);
  });

  it('inserts a placeholder at the cursor, replacing a selection', () => {
    expect(insertPlaceholder('Hello !', 6, 6, 'user.displayName')).toEqual({
      text: 'Hello {{user.displayName}}!',
      cursor: 26,
    });
    expect(insertPlaceholder('Today is X.', 9, 10, 'date')).toEqual({ text: 'Today is {{date}}.', cursor: 17 });
    expect(insertPlaceholder('', 5, 9, 'date')).toEqual({ text: '{{date}}', cursor: 8 });
  });
});
