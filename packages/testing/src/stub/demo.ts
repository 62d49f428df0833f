/**
 * The offline Demo model's answer: honest about being a demo, it quotes the question and
 * shows a little of every markdown feature the chat UI renders (emphasis, a list, code).
 */

const MAX_QUOTE_CHARS = 280;

/** One line of the user's question, short enough to quote, unable to break out of the quote. */
function quotable(question: string): string {
  const oneLine = question.replace(/\s+/g, ' ').replace(/`{3,}/g, '``').trim();
  if (oneLine.length === 0) return '(an empty message)';
  if ([...oneLine].length <= MAX_QUOTE_CHARS) return oneLine;
  // Cut on a grapheme boundary, so an emoji or an accented letter is never split.
  let quote = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(oneLine)) {
    if ([...quote].length + [...segment].length > MAX_QUOTE_CHARS - 1) break;
    quote += segment;
  }
  return `${quote.trimEnd()}…`;
}

export function demoAnswer(question: string): string {
  return [
    "**This is Atrium's offline demo model.** No real language model is connected, so I cannot actually answer — but I can show you how a chat works here.",
    '',
    'You asked:',
    '',
    `> ${quotable(question)}`,
    '',
    'What this demo shows:',
    '',
    '- **Streaming**: this reply arrives word by word, as a real model would send it.',
    '- **Stopping**: press *Stop* at any time to cut a reply short.',
    '- **Markdown**: lists, *emphasis* and code blocks, like the one below, render as formatted text.',
    '',
    '```bash',
    '# An administrator connects a real model with a key, for example:',
    'GROQ_API_KEY=your-key npm run dev',
    '```',
    '',
    'Ask another question to see another demo reply.',
  ].join('\n');
}

/** Word-sized chunks that keep their trailing whitespace, so joining them gives the text back. */
export function wordChunks(text: string): string[] {
  const leading = /^\s*/.exec(text)?.[0] ?? '';
  const words = text.slice(leading.length).match(/\S+\s*/g) ?? [];
  if (leading && words.length > 0) words[0] = leading + words[0];
  return words.length > 0 ? words : text ? [text] : [];
}
