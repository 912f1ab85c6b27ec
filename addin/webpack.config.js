/* global require, module, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- webpack loads its configuration with require() */
/**
 * Builds the add-in into addin/dist/: taskpane.html + taskpane.js, commands.html +
 * commands.js, assets/. Output is ES5 with core-js polyfills because volume-licensed
 * Office 2016/2019 on Windows runs add-ins in the Internet Explorer 11 webview; the
 * dependencies (zod, date-fns) ship modern syntax, so they go through Babel too.
 * Office.js itself is not bundled: Microsoft requires it from its CDN.
 *
 *   npx webpack --config addin/webpack.config.js            (production)
 *   npx webpack --config addin/webpack.config.js --mode development
 */
const path = require('node:path');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CopyWebpackPlugin = require('copy-webpack-plugin');

const SRC = path.join(__dirname, 'src');

/** Babel for IE 11: syntax down to ES5, polyfills imported where used. */
const babelOptions = {
  babelrc: false,
  configFile: false,
  // node_modules mix CommonJS and ES modules; let Babel tell them apart before adding polyfill imports.
  sourceType: 'unambiguous',
  presets: [
    ['@babel/preset-env', { targets: 'ie 11', useBuiltIns: 'usage', corejs: '3.51', bugfixes: true }],
    ['@babel/preset-typescript', { allowDeclareFields: true }],
  ],
};

module.exports = (_env, argv = {}) => {
  const mode = argv.mode === 'development' ? 'development' : 'production';
  return {
    mode,
    context: __dirname,
    // 'es5' keeps webpack's own runtime code free of arrow functions and const.
    target: ['web', 'es5'],
    entry: {
      taskpane: path.join(SRC, 'taskpane', 'taskpane.ts'),
      commands: path.join(SRC, 'commands', 'commands.ts'),
    },
    output: {
      path: path.join(__dirname, 'dist'),
      filename: '[name].js',
      clean: true,
      // Served under /addin by the service; relative URLs keep any prefix working.
      publicPath: '',
    },
    resolve: { extensions: ['.ts', '.js', '.json'] },
    devtool: mode === 'development' ? 'source-map' : false,
    module: {
      rules: [
        {
          test: /\.[cm]?[jt]s$/,
          // core-js must not polyfill itself; webpack's runtime helpers are already ES5.
          exclude: /node_modules[\\/](core-js|webpack)[\\/]/,
          // The cache (node_modules/.cache/babel-loader) makes rebuilds take seconds instead of a minute.
          use: { loader: 'babel-loader', options: { ...babelOptions, cacheDirectory: true } },
        },
      ],
    },
    performance: { hints: false },
    plugins: [
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: path.join(SRC, 'taskpane', 'taskpane.html'),
        chunks: ['taskpane'],
        scriptLoading: 'defer',
        inject: 'body',
      }),
      new HtmlWebpackPlugin({
        filename: 'commands.html',
        template: path.join(SRC, 'commands', 'commands.html'),
        chunks: ['commands'],
        scriptLoading: 'defer',
        inject: 'body',
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: path.join(__dirname, 'assets'), to: 'assets' },
          { from: path.join(SRC, 'taskpane', 'taskpane.css'), to: 'taskpane.css' },
        ],
      }),
    ],
  };
};
