/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- webpack loads its configuration with require() */
/**
 * What the add-in's and the dashboard's builds share: TypeScript through Babel
 * (cached in node_modules/.cache/babel-loader), HTML pages, copied files, relative
 * URLs (each is served under a path prefix), and the pure domain core marked free of
 * side effects so that what a page does not use of it stays out of its bundle.
 */
const path = require('node:path');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CopyWebpackPlugin = require('copy-webpack-plugin');

/**
 * @param {object} o
 * @param {string} o.dir          the folder holding src/; output goes to its dist/
 * @param {Record<string,string>} o.entries  bundle name → entry file (relative to src/)
 * @param {{filename: string, template: string, chunks?: string[], inject: 'head'|'body'}[]} o.pages  templates relative to src/
 * @param {{from: string, to: string}[]} o.copies  `from` relative to dir
 * @param {boolean} o.ie11        ES5 output with core-js polyfills (Office 2016/2019 run add-ins in IE 11)
 */
function webBuild({ dir, entries, pages, copies, ie11 }) {
  const src = path.join(dir, 'src');
  const babelOptions = {
    babelrc: false,
    configFile: false,
    cacheDirectory: true,
    // node_modules mix CommonJS and ES modules; Babel must tell them apart before adding polyfill imports.
    sourceType: 'unambiguous',
    presets: [
      [
        '@babel/preset-env',
        ie11
          ? { targets: 'ie 11', useBuiltIns: 'usage', corejs: '3.51', bugfixes: true }
          : { targets: 'last 2 Chrome versions, last 2 Firefox versions, last 2 Safari versions, last 2 Edge versions', bugfixes: true, modules: false },
      ],
      ['@babel/preset-typescript', { allowDeclareFields: true, onlyRemoveTypeImports: !ie11 }],
    ],
  };
  return (_env, argv = {}) => {
    const mode = argv.mode === 'development' ? 'development' : 'production';
    return {
      mode,
      context: dir,
      // 'es5' keeps webpack's own runtime free of arrow functions and const.
      target: ie11 ? ['web', 'es5'] : 'web',
      entry: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, path.join(src, file)])),
      output: { path: path.join(dir, 'dist'), filename: '[name].js', clean: true, publicPath: '' },
      resolve: { extensions: ['.ts', '.js', '.json'] },
      devtool: mode === 'development' ? 'source-map' : false,
      module: {
        rules: [
          {
            test: ie11 ? /\.[cm]?[jt]s$/ : /\.ts$/,
            // For IE 11 the dependencies (zod, date-fns) ship modern syntax and go through Babel too;
            // core-js must not polyfill itself, and webpack's runtime helpers are already ES5.
            exclude: ie11 ? /node_modules[\\/](core-js|webpack)[\\/]/ : /node_modules/,
            use: { loader: 'babel-loader', options: babelOptions },
          },
          { test: /[\\/]shared[\\/].*\.ts$/, sideEffects: false },
        ],
      },
      performance: { hints: false },
      plugins: [
        ...pages.map(
          (p) => new HtmlWebpackPlugin({ filename: p.filename, template: path.join(src, p.template), chunks: p.chunks, scriptLoading: 'defer', inject: p.inject }),
        ),
        new CopyWebpackPlugin({ patterns: copies.map((c) => ({ from: path.join(dir, c.from), to: c.to })) }),
      ],
    };
  };
}

module.exports = { webBuild };
