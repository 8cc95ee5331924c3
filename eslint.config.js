import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Only the Electron shell and the preload may touch Electron; the core runs under plain Node. */
export const electronBoundary = {
  files: ['**/*.{ts,tsx,js,mjs,cjs}'],
  ignores: ['main/app/**', 'preload/**'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [{ name: 'electron', message: "Only main/app/ and preload/ may import 'electron'; give the core a port instead." }],
        patterns: [{ group: ['electron/*'], message: "Only main/app/ and preload/ may import 'electron'." }],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench-results/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  electronBoundary,
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer is sandboxed: talk to main through shared/contract.ts.' }],
          patterns: [{ group: ['**/main/**', '**/preload/**'], message: 'The renderer reaches main only through shared/contract.ts.' }],
        },
      ],
    },
  },
  {
    // Time comes from the injected Clock so that tests and persisted limiter state control it.
    files: ['main/**/*.ts', 'shared/**/*.ts'],
    ignores: ['main/ports/clock.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Use the injected Clock.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use the injected Clock.' },
      ],
    },
  },
);
