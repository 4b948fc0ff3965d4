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
      'no-restricted-syntax': [
        'error',
        {
          selector: "AssignmentExpression[left.property.name='innerHTML']",
          message: 'Never insert text as HTML: use textContent.',
        },
      ],
    },
  },
  {
    // Small objects, not long closures (issue #13): no function in src/ over 80 lines.
    files: ['src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    // Layering: core imports nothing from the other layers, browser never a player or Node.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '../browser/*',
            '../server/*',
            '../shaka/*',
            '../videojs/*',
            '../hlsjs/*',
            '../dashjs/*',
            'node:*',
          ],
        },
      ],
    },
  },
  {
    files: ['src/browser/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '../server/*',
            '../shaka/*',
            '../videojs/*',
            '../hlsjs/*',
            '../dashjs/*',
            'node:*',
            'shaka-player*',
            'video.js',
            'videojs-contrib-eme',
            'hls.js*',
            'dashjs*',
          ],
        },
      ],
    },
  },
  // A file imports a player only in that player's adapter, and only its types there
  // (the app's copy of the player is used at run time); adapters never import each other.
  ...Object.entries({
    shaka: ['shaka-player*'],
    videojs: ['video.js', 'videojs-contrib-eme'],
    hlsjs: ['hls.js*'],
    dashjs: ['dashjs*'],
  }).map(([adapter, own], _i, all) => ({
    files: [`src/${adapter}/**/*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                ...all.filter(([a]) => a !== adapter).flatMap(([a, players]) => [`../${a}/*`, ...players]),
                '../server/*',
                'node:*',
              ],
              message: 'Adapters import only src/browser, src/core and their own player.',
            },
            {
              group: own,
              allowTypeImports: true,
              message: 'Import only types of the player: the app supplies it at run time.',
            },
          ],
        },
      ],
    },
  })),
  {
    // The Web-standard token endpoint (expressplay-eme/fetch) runs in Workers, Deno, Bun:
    // Web APIs only, nothing from Node or from the node:http server side.
    files: ['src/fetch/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['../browser/*', '../server/*', '../shaka/*', '../videojs/*', 'node:*'] },
      ],
      'no-restricted-globals': ['error', 'Buffer', 'process', 'require', '__dirname', 'setImmediate'],
    },
  },
  {
    // The development stack (npm start, the browser test servers, the benchmark) uses the
    // library through its entry points, as an app does; tests and the bench use it, not the reverse.
    files: ['dev/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['../test/*', '../bench/*', '../scripts/*', '../src/*/*/*', '../src/*/!(index.js)'] },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
