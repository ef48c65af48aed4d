import { errorText, type Toaster } from '../../ui/toast';

/**
 * One queueing request from a button (Generate, a chain batch, Regenerate from note): busy while
 * it runs, what was queued said in a toast and the board's queue read again, or why not in words.
 */
export async function queueRequest(ui: { setBusy(busy: boolean): void; toast: Toaster; reloadQueue(): unknown }, request: () => Promise<string>): Promise<void> {
  ui.setBusy(true);
  try {
    ui.toast.show(await request());
    void ui.reloadQueue();
  } catch (err) {
    ui.toast.show(errorText(err), 'error');
  } finally {
    ui.setBusy(false);
  }
}
