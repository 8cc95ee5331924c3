import { spawn } from 'node:child_process';

/** What only the desktop can do for the operator: show a folder in the file manager. */
export interface Shell {
  /** Resolves false when no file manager could be started (a headless machine). */
  openPath(path: string): Promise<boolean>;
}

const OPENERS: Partial<Record<NodeJS.Platform, string>> = { darwin: 'open', win32: 'explorer' };

/**
 * The browser host's shell: the platform's own opener. `xdg-open` and `open` say by their exit
 * code whether a file manager took the folder (a headless Linux machine has the script but no
 * file manager); explorer answers 1 even when it worked, so there starting is enough.
 */
export function nodeShell(platform = process.platform): Shell {
  return {
    openPath(path) {
      return new Promise((resolve) => {
        const child = spawn(OPENERS[platform] ?? 'xdg-open', [path], { stdio: 'ignore' });
        child.once('error', () => resolve(false));
        if (platform === 'win32') child.once('spawn', () => resolve(true));
        else child.once('exit', (code) => resolve(code === 0));
      });
    },
  };
}
