/**
 * Puppeteer (a dependency of @mermaid-js/mermaid-cli, used by scripts/render-mermaid.mjs) downloads its own Chrome on
 * install unless told not to. The project's machines reach the npm registry and Debian's packages only, so `npm ci`
 * must not fetch a browser: the script drives Debian's `chromium` instead (scripts/puppeteer-config.json).
 * Option reference: https://pptr.dev/guides/configuration (skipDownload).
 */
module.exports = {
  skipDownload: true,
};
