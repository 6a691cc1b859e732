'use strict';
// build-and-tag: its code is in tagrelay.cjs (scripts/bundle.mjs).
require('./tagrelay.cjs').entries["build-and-tag"]().then((entry) => entry.run());
