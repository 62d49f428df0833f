/** The Atrium mark: an open courtyard seen from above. */
export function Logo({ className = 'size-8' }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" className={className}>
      <rect width="32" height="32" rx="9" className="fill-accent-600" />
      <path d="M9 23V14.5L16 9l7 5.5V23" fill="none" stroke="white" strokeWidth="2.4" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M13.5 23v-4.5h5V23" fill="none" stroke="white" strokeWidth="2.4" strokeLinejoin="round" />
    </svg>
  );
}
