import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The browser host: the same core as the Electron shell, bundled for plain Node.
export default defineConfig({
  build: {
    ssr: resolve(import.meta.dirname, 'main/web/index.ts'),
    outDir: 'out/web',
    emptyOutDir: true,
    target: 'node20',
    rolldownOptions: { output: { format: 'es', entryFileNames: 'index.js' } },
  },
});
