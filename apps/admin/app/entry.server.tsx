// Remix's streaming render with the response's CSP nonce on its inline scripts (shared by both apps).
export { default, streamTimeout } from '@atrium/ui/entry.server';
