/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: false }] },
  testTimeout: 30000,
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/helpers/pg-setup.js',
  globalTeardown: '<rootDir>/test/helpers/pg-teardown.js',
};
