#!/usr/bin/env node
// Entry point: the bundled CLI lives in dist/ (built by `npm run build`, run on `npm ci`).
import "../dist/cli.js";
