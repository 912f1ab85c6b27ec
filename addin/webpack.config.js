/* global require, module, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- webpack loads its configuration with require() */
/**
 * Builds the add-in into addin/dist/: taskpane.html + taskpane.js, commands.html +
 * commands.js, assets/. ES5 with core-js polyfills: volume-licensed Office 2016/2019
 * on Windows runs add-ins in the Internet Explorer 11 webview. Office.js itself is not
 * bundled: Microsoft requires it from its CDN.
 *
 *   npx webpack --config addin/webpack.config.js [--mode development]
 */
const { webBuild } = require('../scripts/webpack-common');

module.exports = webBuild({
  dir: __dirname,
  ie11: true,
  entries: { taskpane: 'taskpane/taskpane.ts', commands: 'commands/commands.ts' },
  pages: [
    { filename: 'taskpane.html', template: 'taskpane/taskpane.html', chunks: ['taskpane'], inject: 'body' },
    { filename: 'commands.html', template: 'commands/commands.html', chunks: ['commands'], inject: 'body' },
  ],
  copies: [
    { from: 'assets', to: 'assets' },
    { from: 'src/taskpane/taskpane.css', to: 'taskpane.css' },
  ],
});
