import { app, session, shell, type WebContents } from 'electron';
import { sessionPolicy } from './session-policy';
import { isAllowedExternal } from './urls';

export function hardenSessions(devServerUrl: string | undefined): void {
  const csp = sessionPolicy(devServerUrl);
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  app.on('web-contents-created', (_event, contents: WebContents) => {
    // No window is ever opened in the app; a link to a known provider console or doc goes to the OS browser.
    contents.setWindowOpenHandler(({ url }) => {
      // Review (Electronegativity): only https links to the hosts isAllowedExternal lists reach the OS.
      if (isAllowedExternal(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (url !== contents.getURL()) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
