import { spawn } from 'node:child_process';

/** What only the desktop can do for the operator: show a folder in the file manager. */
export interface Shell {
  /** Resolves false when no file manager could be started (a headless machine). */
  openPath(path: string): Promise<boolean>;
}

const OPENERS: Partial<Record<NodeJS.Platform, string>> = { darwin: 'open', win32: 'explorer' };

/** The browser host's shell: the platform's own opener, detached so it outlives nothing of ours. */
export function nodeShell(platform = process.platform): Shell {
  return {
    openPath(path) {
      return new Promise((resolve) => {
        const child = spawn(OPENERS[platform] ?? 'xdg-open', [path], { detached: true, stdio: 'ignore' });
        child.once('error', () => resolve(false));
        child.once('spawn', () => {
          child.unref();
          resolve(true);
        });
      });
    },
  };
}
