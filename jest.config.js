// Two projects: unit tests sit beside the code; end-to-end suites under test/ drive real processes.
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
}];
const moduleNameMapper = {
  '^@chat/(contracts|platform|gateway)/(.*)$': '<rootDir>/libs/$1/src/$2',
  '^@chat/(.*)$': '<rootDir>/libs/$1/src',
};
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  rootDir: __dirname,
};
module.exports = {
  // Two suites at a time: an e2e suite spends most of its time waiting on the processes it started, and each one is
  // isolated (its own ports, data dir, broker and Redis namespace; outages go through a relay of its own), so a
  // second one fills the wait. Jest's default on this 2-core machine would be one worker. `--runInBand` still
  // runs one at a time for a targeted run.
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/server/**/*.spec.ts', '<rootDir>/apps/web/lib/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], setupFilesAfterEnv: ['<rootDir>/test/harness/jest-setup.ts'] },
  ],
};
