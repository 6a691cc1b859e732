'use strict';
// main: its code is in tagrelay.cjs (scripts/bundle.mjs).
require('./tagrelay.cjs').entries["main"]().then((entry) => entry.run());
