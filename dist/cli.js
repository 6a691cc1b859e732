#!/usr/bin/env node
// tagrelay's CLI: its code is in tagrelay.cjs (scripts/bundle.mjs).
import { createRequire } from 'node:module';

const { entries } = createRequire(import.meta.url)('./tagrelay.cjs');
(await entries.cli()).runCli();
