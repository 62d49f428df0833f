// Modules vite.config.ts's plugins provide.
declare module 'virtual:strings-chunks' {
  /** Keyed `<group>.<lang>`: `core.en`, `account.tr`, … */
  const chunks: Partial<Record<string, string>>;
  export default chunks;
}
