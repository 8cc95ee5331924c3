import { useEffect, useRef } from 'react';

export const PAGE_HEADING_ID = 'page-title';

let keepFocus = false;

/**
 * Called by a tab just before it switches its own section: focus stays on the tab, as the ARIA
 * tabs pattern expects. Back, Forward and every other navigation move it to the heading.
 */
export function keepFocusOnNextNavigation(): void {
  keepFocus = true;
}

/**
 * Moves focus to the new page's heading after each navigation (not on first load), so a screen
 * reader announces where the operator landed and Tab starts from the top of the page.
 */
export function useHeadingFocus(location: string): void {
  const previous = useRef(location);
  useEffect(() => {
    if (previous.current === location) return;
    previous.current = location;
    if (keepFocus) {
      keepFocus = false;
      return;
    }
    const heading = document.getElementById(PAGE_HEADING_ID);
    if (heading) return void heading.focus();
    // A page's code arrives on its first visit: its heading is focused as soon as it renders.
    const observer = new MutationObserver(() => {
      const late = document.getElementById(PAGE_HEADING_ID);
      if (!late) return;
      observer.disconnect();
      late.focus();
    });
    observer.observe(document.body, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [location]);
}
