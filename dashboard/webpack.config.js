/* global require, module, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- webpack loads its configuration with require() */
/**
 * Builds the DoST dashboard into dashboard/dist/: index.html, dashboard.js and
 * dashboard.css, which the service serves at / (server/app.ts). Current
 * browsers only, so Babel strips the types and little else; no polyfills.
 *
 *   npx webpack --config dashboard/webpack.config.js            (production)
 *   npx webpack --config dashboard/webpack.config.js --mode development
 */
const path = require('node:path');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CopyWebpackPlugin = require('copy-webpack-plugin');

const SRC = path.join(__dirname, 'src');

const babelOptions = {
  babelrc: false,
  configFile: false,
  presets: [
    ['@babel/preset-env', { targets: 'last 2 Chrome versions, last 2 Firefox versions, last 2 Safari versions, last 2 Edge versions', bugfixes: true, modules: false }],
    ['@babel/preset-typescript', { allowDeclareFields: true, onlyRemoveTypeImports: true }],
  ],
};

module.exports = (_env, argv = {}) => {
  const mode = argv.mode === 'development' ? 'development' : 'production';
  return {
    mode,
    context: __dirname,
    target: 'web',
    entry: { dashboard: path.join(SRC, 'main.ts') },
    output: {
      path: path.join(__dirname, 'dist'),
      filename: '[name].js',
      clean: true,
      // The page is served at /; relative URLs keep a reverse proxy's prefix working.
      publicPath: '',
    },
    resolve: { extensions: ['.ts', '.js', '.json'] },
    devtool: mode === 'development' ? 'source-map' : false,
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: { loader: 'babel-loader', options: { ...babelOptions, cacheDirectory: true } },
        },
        {
          // The domain core is pure (no module does anything when loaded), so what the page does not
          // use of it — the holiday calendar, zod schemas — is left out of the bundle.
          test: /[\\/]shared[\\/].*\.ts$/,
          sideEffects: false,
        },
      ],
    },
    performance: { hints: false },
    plugins: [
      new HtmlWebpackPlugin({
        filename: 'index.html',
        template: path.join(SRC, 'index.html'),
        scriptLoading: 'defer',
        inject: 'head',
      }),
      new CopyWebpackPlugin({ patterns: [{ from: path.join(SRC, 'styles.css'), to: 'dashboard.css' }] }),
    ],
  };
};
