/**
 * The WebSocket adapter (ws-upgrade.ts) reports socket errors as `new ErrorEvent(...)`, a global Node 20 lacks: without
 * this, every socket error becomes a ReferenceError printed to the console and our onError
 * handler never runs. Installs a minimal ErrorEvent once; a no-op where Node has one.
 */
export function ensureErrorEvent(): void {
  if (typeof globalThis.ErrorEvent === 'function') return;
  class ErrorEventShim extends Event {
    readonly error: unknown;
    readonly message: string;
    constructor(type: string, init: { error?: unknown; message?: string } = {}) {
      super(type);
      this.error = init.error;
      this.message = init.message ?? (init.error instanceof Error ? init.error.message : '');
    }
  }
  (globalThis as { ErrorEvent?: unknown }).ErrorEvent = ErrorEventShim;
}
