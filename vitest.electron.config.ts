import { defineConfig } from 'vitest/config';

// The Electron suite: only where an Electron binary exists (npm run test:electron), never in npm test or .ci/run.
export default defineConfig({
  test: {
    include: ['tests/electron/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 1,
  },
});
