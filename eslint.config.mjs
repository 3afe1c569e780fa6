import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', '.e2e-cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // User code is data: it is interpreted, never evaluated by JavaScript.
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.name='require'][arguments.0.type!='Literal']", message: 'no dynamic require: module names are never computed' },
        { selector: "ImportExpression[source.type!='Literal']", message: 'no dynamic import of a computed name' },
        { selector: "NewExpression[callee.name='Function']", message: 'no new Function: user code is interpreted, never evaluated' },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
