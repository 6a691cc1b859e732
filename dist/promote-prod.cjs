'use strict';
// promote-prod: its code is in tagrelay.cjs (scripts/bundle.mjs).
require('./tagrelay.cjs').entries["promote-prod"]().then((entry) => entry.run());
