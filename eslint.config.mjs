// ESLint flat config: typescript-eslint with type information. The pure folders may not import `vscode`.
import tseslint from 'typescript-eslint';

// The HTTP client, every feature's core/ and the small helpers run outside VS Code: plain mocha tests them.
const PURE = ['src/chroma/**', 'src/*/core/**', 'src/util/**', 'bench/**', 'test/unit/**', 'test/support/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '*.mjs', 'scripts/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'smart'],
      curly: 'error',
    },
  },
  {
    files: PURE,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'This folder is pure: it runs outside VS Code and must not import vscode.' }],
        },
      ],
    },
  },
  {
    // The overview page runs in the webview (a browser): neither VS Code's API nor Node's is there.
    files: ['src/overview/webview/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The overview page runs in a browser: it talks to the extension by messages (./host).' }],
          patterns: [{ group: ['node:*'], message: 'The overview page runs in a browser: no Node modules.' }],
        },
      ],
    },
  },
  {
    files: ['bench/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
