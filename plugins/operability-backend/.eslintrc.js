module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // Property tests assert through fast-check, HTTP tests through supertest.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'fc.assert', 'request.**.expect'] },
    ],
  },
});
