import { useEffect } from 'react';

/**
 * Unsaved changes are guarded at the three ways out: closing or reloading the window
 * (beforeunload), a route change inside the app (every router navigation goes through
 * history.pushState/replaceState, the router's own wrappers included), and Back/Forward
 * (popstate, put back when the operator chooses to stay).
 */
const dirty = new Map<symbol, string>();
let installed = false;
let current = '';

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
  current = window.location.href;
  window.addEventListener('beforeunload', (e) => {
    if (dirty.size === 0) return;
    e.preventDefault();
    // Chromium still asks for returnValue to show its own "Leave site?" dialog.
    e.returnValue = '';
  });
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function guarded(this: History, data: unknown, unused: string, url?: string | URL | null) {
      if (!samePlace(url) && !mayLeave()) return;
      original.call(this, data, unused, url);
      current = window.location.href;
    };
  }
  // A capture listener on window runs before the router's: a refused Back is undone before it renders.
  window.addEventListener(
    'popstate',
    (e) => {
      if (window.location.href === current || mayLeave()) {
        current = window.location.href;
        return;
      }
      e.stopImmediatePropagation();
      History.prototype.pushState.call(history, null, '', current);
    },
    true,
  );
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
