module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // Browser tests assert by waiting for what a person would see.
    'jest/expect-expect': [
      'warn',
      {
        assertFunctionNames: [
          'expect',
          '**.waitFor',
          'reloadUntil',
          'expectGone',
        ],
      },
    ],
  },
});
