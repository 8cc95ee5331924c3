import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './shared/csp';

/**
 * Writes the one policy from shared/csp.ts into index.html, so the checked-in page carries no copy.
 * Served by the dev server, the page gets the dev widening for that server's own origin, the
 * same one electron-vite hands the shell in ELECTRON_RENDERER_URL.
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'huntaze:content-security-policy',
    transformIndexHtml: {
      // Last, so its head-prepend lands above every script the others inject (React Refresh's
      // preamble, Vite's client): a meta policy governs only what follows it.
      order: 'post',
      handler(_html, { server }) {
        const devServer = server && (server.resolvedUrls?.local[0] ?? `http://localhost:${server.config.server.port}`);
        const content = contentSecurityPolicy(devServer ? { dev: true, devServer } : {});
        return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content }, injectTo: 'head-prepend' }];
      },
    },
  };
}

// The shell and preload are CommonJS: a sandboxed preload cannot be an ES module.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        // The shell, and the core it runs in a utilityProcess.
        input: { index: resolve(import.meta.dirname, 'main/app/index.ts'), core: resolve(import.meta.dirname, 'main/core/entry.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [contentSecurityPolicyMeta(), react()],
    build: {
      outDir: 'out/renderer',
      rolldownOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
  },
});
