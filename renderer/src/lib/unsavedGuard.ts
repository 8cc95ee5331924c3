import { useEffect } from 'react';

/**
 * Unsaved changes are guarded at every way out: closing or reloading the window (beforeunload),
 * a route change inside the app (every router navigation, links, tabs and toasts included, goes
 * through history.pushState/replaceState), and Back/Forward (popstate, heard before the router).
 */
const dirty = new Map<symbol, string>();
let installed = false;

const question = () => dirty.values().next().value;

/** Asks once; true when there is nothing to lose or the operator chose to leave. */
function mayLeave(): boolean {
  const message = question();
  return message === undefined || window.confirm(message);
}

const samePlace = (url: string | URL | null | undefined) => {
  if (url === null || url === undefined) return true;
  const next = new URL(String(url), window.location.href);
  return next.pathname === window.location.pathname && next.hash === window.location.hash;
};

function install() {
  if (installed) return;
  installed = true;
  window.addEventListener('beforeunload', (e) => {
    const message = question();
    if (message === undefined) return;
    e.preventDefault();
    // Older Chromium (Electron's included) shows its own "Leave site?" dialog only when returnValue is set.
    e.returnValue = message;
  });
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function guarded(this: History, data: unknown, unused: string, url?: string | URL | null) {
      if (!samePlace(url) && !mayLeave()) return;
      original.call(this, data, unused, url);
    };
  }
  // Back/Forward: by popstate the page has already re-rendered at the new address (the router
  // reads the address on any render), so the question is put at the Navigation API's `navigate`,
  // which a same-document traversal may still cancel.
  const navigation = (window as unknown as { navigation?: NavigationLike }).navigation;
  navigation?.addEventListener('navigate', (e) => {
    if (e.navigationType === 'traverse' && e.cancelable && !mayLeave()) e.preventDefault();
  });
}

interface NavigateEventLike extends Event {
  navigationType: 'push' | 'replace' | 'reload' | 'traverse';
}
interface NavigationLike {
  addEventListener(type: 'navigate', listener: (e: NavigateEventLike) => void): void;
}

/** While `isDirty`, leaving this view asks `message` first. */
export function useUnsavedGuard(isDirty: boolean, message: string) {
  useEffect(() => {
    if (!isDirty) return;
    install();
    const key = Symbol('unsaved');
    dirty.set(key, message);
    return () => void dirty.delete(key);
  }, [isDirty, message]);
}
