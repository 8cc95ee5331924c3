// Kept free of 'electron' so the IPC sender check can be tested under plain Node.

/** Is this URL one of our own renderer pages (the packaged file, or the dev server in development)? */
export function isAppUrl(url: string, devServerUrl: string | undefined, rendererFile: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (devServerUrl) return u.origin === new URL(devServerUrl).origin;
  return u.protocol === 'file:' && decodeURIComponent(u.pathname) === rendererFile.replaceAll('\\', '/').replace(/^(?=[A-Za-z]:)/, '/');
}
