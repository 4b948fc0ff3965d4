import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'docs/api/**', 'test/media/**', 'bench/out/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', {
        selector: "AssignmentExpression[left.property.name='innerHTML']",
        message: 'Never insert text as HTML: use textContent.',
      }],
    },
  },
  {
    // Layering: core imports nothing from the other layers, browser never a player or Node.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['../browser/*', '../server/*', '../shaka/*', '../videojs/*', 'node:*'] }],
    },
  },
  {
    files: ['src/browser/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['../server/*', '../shaka/*', '../videojs/*', 'node:*', 'shaka-player*', 'video.js', 'videojs-contrib-eme'] }],
    },
  },
  {
    // The Web-standard token endpoint (expressplay-eme/fetch) runs in Workers, Deno, Bun:
    // Web APIs only, nothing from Node or from the node:http server side.
    files: ['src/fetch/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['../browser/*', '../server/*', '../shaka/*', '../videojs/*', 'node:*'] }],
      'no-restricted-globals': ['error', 'Buffer', 'process', 'require', '__dirname', 'setImmediate'],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
