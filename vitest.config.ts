import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Needs the real Electron binary, which cannot be downloaded here: its own config, npm run test:electron.
    exclude: ['**/node_modules/**', 'tests/electron/**'],
    environment: 'node',
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only make Chromium and better-sqlite3 fight for them.
    maxWorkers: 2,
  },
});
