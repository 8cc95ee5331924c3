import { ipcMain, type BrowserWindow } from 'electron';
import { CHANNELS } from '../../shared/contract';
import { fail } from '../../shared/result';
import type { CoreApi } from '../core/api';

/** Carries the contract over Electron IPC to the core; only frames showing our own page may call. */
export function bridgeIpc(core: CoreApi, isTrustedUrl: (url: string) => boolean, windows: () => BrowserWindow[]) {
  ipcMain.handle(CHANNELS.invoke, (event, method: unknown, input: unknown) => {
    const url = event.senderFrame?.url ?? '';
    if (!isTrustedUrl(url)) return fail('forbidden', 'forbidden_sender');
    return core.registry.dispatch(method, input);
  });
  const unsubscribe = core.events.subscribe((name, payload) => {
    for (const win of windows()) {
      if (!win.isDestroyed()) win.webContents.send(CHANNELS.event, name, payload);
    }
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(CHANNELS.invoke);
  };
}
