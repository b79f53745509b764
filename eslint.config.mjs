// Lint rules: the recommended sets of ESLint and typescript-eslint, plus a few house habits.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test-results/', 'playwright-report/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
        message: 'Time comes from the clock in the app context (context.clock), not Date.now().',
      }],
    },
  },
  {
    // The clock itself and test/bench harnesses are where real time may be read.
    files: ['src/lib/clock.ts', 'test/**', 'bench/**', 'src/http/request-log.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['public/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ignores: ['public/**'],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
