/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: false }] },
  testTimeout: 30000,
  maxWorkers: 2,
  // a worker that holds more than this after a test file is restarted: the suites build whole runtimes (knowledge,
  // recognizer, model) and a worker that kept them all ran out of heap (4 GB) near the end of a full run
  workerIdleMemoryLimit: '1GB',
  globalSetup: '<rootDir>/test/helpers/pg-setup.js',
  globalTeardown: '<rootDir>/test/helpers/pg-teardown.js',
};
