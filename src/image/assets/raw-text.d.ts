/**
 * `import text from "./file.sh?raw"`: a file's contents as a string. Vitest (Vite) does this natively;
 * scripts/bundle.mjs does it for the bundle with esbuild's text loader. The image's scripts stay real
 * .sh/.py files that shellcheck and flake8 lint.
 */
declare module "*?raw" {
  const text: string;
  export default text;
}
