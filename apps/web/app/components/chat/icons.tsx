import type { SVGProps } from 'react';

/** Small line icons for the chat, drawn on a 20×20 grid; decorative (labels carry the meaning). */
type IconProps = SVGProps<SVGSVGElement> & { className?: string };

function Icon({ children, className = 'size-4', ...props }: IconProps) {
  return (
    <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" className={className} {...props}>
      {children}
    </svg>
  );
}

export const PlusIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M10 4v12M4 10h12" />
  </Icon>
);
export const SearchIcon = (props: IconProps) => (
  <Icon {...props}>
    <circle cx="9" cy="9" r="5" />
    <path d="m13 13 3.5 3.5" />
  </Icon>
);
export const XIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="m5 5 10 10M15 5 5 15" />
  </Icon>
);
export const DotsIcon = (props: IconProps) => (
  <Icon {...props}>
    <circle cx="5" cy="10" r="0.9" fill="currentColor" />
    <circle cx="10" cy="10" r="0.9" fill="currentColor" />
    <circle cx="15" cy="10" r="0.9" fill="currentColor" />
  </Icon>
);
export const ChevronIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="m7 8 3 3 3-3" />
  </Icon>
);
export const PencilIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M12.5 4.5 15.5 7.5 7.5 15.5H4.5V12.5Z" />
    <path d="m11 6 3 3" />
  </Icon>
);
export const FolderIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M3.5 6.5a1.5 1.5 0 0 1 1.5-1.5h3l1.5 1.5H15a1.5 1.5 0 0 1 1.5 1.5v6a1.5 1.5 0 0 1-1.5 1.5H5A1.5 1.5 0 0 1 3.5 14Z" />
  </Icon>
);
export const TrashIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M4.5 6h11M8 6V4.5h4V6M6 6l.7 9.5h6.6L14 6" />
  </Icon>
);
export const RefreshIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M15.5 9.5a5.5 5.5 0 1 1-1.6-3.9" />
    <path d="M15.5 4v3.5H12" />
  </Icon>
);
export const StopIcon = (props: IconProps) => (
  <Icon {...props}>
    <rect x="5.5" y="5.5" width="9" height="9" rx="1.5" fill="currentColor" stroke="none" />
  </Icon>
);
export const SendIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M10 15.5v-11M5.5 9 10 4.5 14.5 9" />
  </Icon>
);
export const ThumbUpIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M6.5 9v7H4.5a1 1 0 0 1-1-1v-5a1 1 0 0 1 1-1Z" />
    <path d="M6.5 9 9.5 3.5a1.8 1.8 0 0 1 2.2 2L11 8.5h3.8a1.7 1.7 0 0 1 1.7 2l-1 4.3a1.7 1.7 0 0 1-1.7 1.2H6.5" />
  </Icon>
);
export const ThumbDownIcon = (props: IconProps) => (
  <Icon {...props} style={{ transform: 'rotate(180deg)' }}>
    <path d="M6.5 9v7H4.5a1 1 0 0 1-1-1v-5a1 1 0 0 1 1-1Z" />
    <path d="M6.5 9 9.5 3.5a1.8 1.8 0 0 1 2.2 2L11 8.5h3.8a1.7 1.7 0 0 1 1.7 2l-1 4.3a1.7 1.7 0 0 1-1.7 1.2H6.5" />
  </Icon>
);
export const ArrowDownIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M10 4.5v11M5.5 11 10 15.5 14.5 11" />
  </Icon>
);
export const SidebarIcon = (props: IconProps) => (
  <Icon {...props}>
    <rect x="3.5" y="4" width="13" height="12" rx="2" />
    <path d="M8 4v12" />
  </Icon>
);
export const AlertIcon = (props: IconProps) => (
  <Icon {...props}>
    <circle cx="10" cy="10" r="6.5" />
    <path d="M10 6.5v4M10 13.3v.2" />
  </Icon>
);
export const PinIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M7.5 3.5h5l-.8 4.5 2.8 2.5v1.5h-9v-1.5L8.3 8zM10 12v4.5" />
  </Icon>
);
export const ArchiveIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M3.5 4.5h13v3h-13zM4.5 7.5v8h11v-8M8 10.5h4" />
  </Icon>
);
export const ShareIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M10 3.5v9M6.5 7 10 3.5 13.5 7M4.5 11v4.5h11V11" />
  </Icon>
);
