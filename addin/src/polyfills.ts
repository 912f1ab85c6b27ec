/**
 * What core-js cannot give the IE 11 webview of volume-licensed Office
 * 2016/2019, imported first by each entry so it runs before any library.
 *
 * zod 4 (which shared/ uses to read its bundled data) builds BigInt constants
 * when it loads, for the bounds of bigint schemas the add-in never uses; IE 11
 * has no BigInt, so loading would stop there. A Number stand-in lets it load.
 */
const scope = window as unknown as { BigInt?: unknown };
if (typeof scope.BigInt === 'undefined') scope.BigInt = (value: unknown) => Number(value);

// IE 11 has no String.prototype.normalize, which every text match in shared/ needs (NFC/NFD);
// core-js does not provide it. unorm installs it only where it is missing.
import 'unorm';
