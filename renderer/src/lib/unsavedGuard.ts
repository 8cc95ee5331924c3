import { useEffect } from 'react';

/**
 * Unsaved changes are guarded at two ways out: closing or reloading the window (beforeunload),
 * and a route change inside the app (every router navigation, links, tabs and toasts included,
 * goes through history.pushState/replaceState). Back/Forward is not guarded yet.
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
