/* global require, module, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- webpack loads its configuration with require() */
/**
 * Builds the DoST dashboard into dashboard/dist/: index.html, dashboard.js and
 * dashboard.css, which the service serves at / (server/app.ts). Current browsers only.
 *
 *   npx webpack --config dashboard/webpack.config.js [--mode development]
 */
const { webBuild } = require('../scripts/webpack-common');

module.exports = webBuild({
  dir: __dirname,
  ie11: false,
  entries: { dashboard: 'main.ts' },
  pages: [{ filename: 'index.html', template: 'index.html', inject: 'head' }],
  copies: [{ from: 'src/styles.css', to: 'dashboard.css' }],
});
