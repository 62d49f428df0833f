import { memo, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import ReactMarkdown, { type Components, type ExtraProps, type Options } from 'react-markdown';
import type rehypeHighlightPlugin from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { useT } from '../i18n/i18n';
import { CopyButton } from './CopyButton';

type HastNode = NonNullable<ExtraProps['node']> | { type: string; value?: string; children?: HastNode[] };

/** The plain text under a syntax tree node: what a code block's copy button copies. */
function textOf(node: HastNode | undefined): string {
  if (!node) return '';
  if ('value' in node && typeof node.value === 'string') return node.value;
  return 'children' in node && Array.isArray(node.children) ? (node.children as HastNode[]).map(textOf).join('') : '';
}

function languageOf(node: HastNode | undefined): string | null {
  const code = node && 'children' in node ? (node.children as HastNode[] | undefined)?.[0] : undefined;
  const classes = code && 'properties' in code ? (code.properties as { className?: unknown }).className : undefined;
  const match = Array.isArray(classes) ? classes.map(String).find((name) => name.startsWith('language-')) : undefined;
  return match ? match.slice('language-'.length) : null;
}

function CodeBlock({ node, children }: { node: HastNode | undefined; children: ReactNode }) {
  const t = useT();
  const language = languageOf(node);
  return (
    <div className="md-code group/code">
      <div className="flex items-center justify-between gap-2 border-b border-zinc-200 px-3 py-1.5 text-xs text-zinc-500 dark:border-zinc-700/70 dark:text-zinc-400">
        <span className="font-mono">{language ?? t('markdown.code')}</span>
        <CopyButton text={() => textOf(node).replace(/\n$/, '')} label={t('markdown.copyCode')} compact />
      </div>
      <pre>{children}</pre>
    </div>
  );
}

function MarkdownLink({ href, children }: { href?: string | undefined; children?: ReactNode }) {
  // In-page links (GFM footnotes) stay in the page; everything else opens apart from the chat.
  if (href?.startsWith('#')) return <a href={href}>{children}</a>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

/** A model's image is shown as a link: loading it by itself would tell a stranger's server that the chat was read. */
function MarkdownImage({ src, alt }: { src?: string | Blob | undefined; alt?: string | undefined }) {
  const t = useT();
  const label = alt ? t('markdown.image', { alt }) : t('markdown.imageUntitled');
  return typeof src === 'string' && src ? <MarkdownLink href={src}>{label}</MarkdownLink> : <span>{label}</span>;
}

const components: Components = {
  pre: ({ node, children }) => <CodeBlock node={node as HastNode | undefined}>{children}</CodeBlock>,
  a: ({ href, children }) => <MarkdownLink href={href}>{children}</MarkdownLink>,
  img: ({ src, alt }) => <MarkdownImage src={src} alt={alt} />,
  table: ({ children }) => (
    <div className="md-table">
      <table>{children}</table>
    </div>
  ),
};

const remarkPlugins = [remarkGfm];

/**
 * Syntax highlighting (highlight.js's common languages) is most of the markdown's weight and only
 * a code block needs it, so it loads on demand, once, for every answer on the page: code shows
 * plain first, then coloured. Server rendering and hydration both go without it, so they agree.
 */
type RehypePlugins = NonNullable<Options['rehypePlugins']>;
let highlightPlugins: RehypePlugins | null = null;
let highlightLoading: Promise<void> | null = null;
const highlightListeners = new Set<() => void>();

function loadHighlighting() {
  highlightLoading ??= import('rehype-highlight').then(
    ({ default: rehypeHighlight }: { default: typeof rehypeHighlightPlugin }) => {
      highlightPlugins = [[rehypeHighlight, { detect: false }]];
      highlightListeners.forEach((listener) => listener());
    },
    // The code stays plain; the next code block to be shown tries again.
    () => {
      highlightLoading = null;
    },
  );
  return highlightLoading;
}

function subscribeToHighlighting(listener: () => void) {
  highlightListeners.add(listener);
  return () => highlightListeners.delete(listener);
}

const hasCodeFence = (text: string) => text.includes('```') || text.includes('~~~');

function useHighlighting(wanted: boolean): RehypePlugins | undefined {
  const plugins = useSyncExternalStore(
    subscribeToHighlighting,
    () => highlightPlugins,
    () => null,
  );
  useEffect(() => {
    if (wanted) void loadHighlighting();
  }, [wanted]);
  return wanted && plugins ? plugins : undefined;
}

/**
 * An answer as formatted text, the same in the chat, a shared page and the admin's feedback: GitHub-flavoured markdown with highlighted code. Raw HTML in an
 * answer is shown as text (react-markdown's default; no rehype-raw), and its URL filter drops
 * `javascript:` links.
 */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  const rehypePlugins = useHighlighting(hasCodeFence(text));
  return (
    <div className="md">
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
