#!/usr/bin/env node
// Runs the built CLI (npm run build emits dist/esm/cli.js from src/server/cli.ts).
import '../dist/esm/cli.js';
