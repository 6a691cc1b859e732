'use strict';
// smoke-dev: its code is in tagrelay.cjs (scripts/bundle.mjs).
require('./tagrelay.cjs').entries["smoke-dev"]().then((entry) => entry.run());
