import { memo, type ReactNode } from 'react';
import ReactMarkdown, { type Components, type ExtraProps } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { useWebT } from '../../i18n';
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
  const t = useWebT();
  const language = languageOf(node);
  return (
    <div className="md-code group/code">
      <div className="flex items-center justify-between gap-2 border-b border-zinc-200 px-3 py-1.5 text-xs text-zinc-500 dark:border-zinc-700/70 dark:text-zinc-400">
        <span className="font-mono">{language ?? t('web.chat.messages.code')}</span>
        <CopyButton text={() => textOf(node).replace(/\n$/, '')} label={t('web.chat.messages.copyCode')} compact />
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
  const t = useWebT();
  const label = alt ? t('web.chat.messages.image', { alt }) : t('web.chat.messages.imageUntitled');
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
const rehypePlugins = [[rehypeHighlight, { detect: false }] as [typeof rehypeHighlight, { detect: boolean }]];

/**
 * An answer as formatted text: GitHub-flavoured markdown with highlighted code. Raw HTML in an
 * answer is shown as text (react-markdown's default; no rehype-raw), and its URL filter drops
 * `javascript:` links.
 */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="md">
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
