// The desktop extension (dist/extension.js, analyses in a worker thread) in a real VS Code:
// diagnostics on open, the Gradient check lens, the hover, the gradients panel (of a function
// and of selected lines). Its screenshots are the README's (docs/screenshots/).
/* global describe */
import { SLOW_TIMEOUT, useWorkbench } from './helpers.mjs';
import { viewTests } from './views.mjs';

describe('GradLens in VS Code', function () {
  this.timeout(3 * SLOW_TIMEOUT);
  viewTests(useWorkbench(), { docs: true });
});
