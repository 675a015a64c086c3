module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // Property tests assert through fast-check.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'fc.assert'] },
    ],
  },
});
