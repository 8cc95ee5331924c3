import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The browser host and the core process it forks, bundled for plain Node; shared code lands in chunks both import.
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/web',
    emptyOutDir: true,
    target: 'node20',
    rolldownOptions: {
      input: {
        index: resolve(import.meta.dirname, 'main/web/index.ts'),
        core: resolve(import.meta.dirname, 'main/core/entry.ts'),
      },
      output: { format: 'es', entryFileNames: '[name].js' },
    },
  },
});
