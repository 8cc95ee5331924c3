import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Picks a theme and a language in Settings → General the way the operator does, and waits until
 * the page shows both: screenshots and axe runs that follow then see the chosen look.
 */
export async function choose(page: Page, theme: string, language: string): Promise<void> {
  await page.goto(new URL('/settings', page.url()).href);
  await page.locator('select#theme').selectOption(theme);
  await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(theme);
  await page.locator('select#language').selectOption(language);
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
}

/** The page's serious and critical WCAG 2.1 AA findings, one line per element: empty when clean. */
export async function findings(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}
