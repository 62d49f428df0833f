import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/build/**', '**/dist/**', '**/.cache/**', '**/.turbo/**', '**/migrations/Migration*.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read the environment only in env.ts.' },
      ],
    },
  },
  {
    // Configuration and test-support files may read the environment directly.
    files: ['**/env.ts', '**/*.test.ts', '**/testing.ts', '**/vitest*.ts', '**/vite.config.ts', 'scripts/**', '**/server.ts', '**/src/testing/**', 'packages/testing/**', '**/bench/**', 'tooling/vitest/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
