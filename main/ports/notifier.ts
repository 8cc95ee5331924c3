/** What an OS notification shows; clicking it opens `path` in the app. */
export interface Notice {
  id: string;
  level: 'info' | 'warning' | 'critical';
  title: string;
  body: string;
  path: string;
}

/**
 * Tells the operator on this machine. The Electron shell shows an OS notification (a host port);
 * under the browser host the core pushes `alert.fired` and the page shows a toast and, where the
 * browser allows, a Notification. Resolves false when nobody could be told.
 */
export interface Notifier {
  notify(notice: Notice): Promise<boolean>;
}
