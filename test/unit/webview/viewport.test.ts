import * as assert from 'node:assert/strict';
import { fitTransform, graphPaneHeight, minReadableScale, panToShow, readableFitTransform, wheelZoomFactor, zoomAt, zoomLimits } from '../../../webview/viewport';

describe('webview pan and zoom', () => {
  it('fit centers the whole graph with a margin', () => {
    const t = fitTransform({ width: 400, height: 100 }, { width: 824, height: 300 }, 12);
    assert.equal(t.k, 1.25); // would be 2, but fitting never enlarges past 1.25
    assert.equal(t.x, (824 - 400 * 1.25) / 2);
    assert.equal(t.y, (300 - 100 * 1.25) / 2);
    const wide = fitTransform({ width: 2000, height: 200 }, { width: 1024, height: 400 }, 12);
    assert.equal(wide.k, 0.5);
  });

  it('zooming keeps the point under the cursor in place', () => {
    const before = { x: 30, y: -10, k: 0.8 };
    const cursor = { x: 200, y: 120 };
    const content = { x: (cursor.x - before.x) / before.k, y: (cursor.y - before.y) / before.k };
    const after = zoomAt(before, 1.5, cursor.x, cursor.y);
    assert.ok(Math.abs(content.x * after.k + after.x - cursor.x) < 1e-9);
    assert.ok(Math.abs(content.y * after.k + after.y - cursor.y) < 1e-9);
  });

  it('zoom stays within its limits', () => {
    assert.equal(zoomAt({ x: 0, y: 0, k: 3 }, 10, 0, 0).k, zoomLimits.max);
    assert.equal(zoomAt({ x: 0, y: 0, k: 0.2 }, 0.01, 0, 0).k, zoomLimits.min);
    assert.ok(wheelZoomFactor(100) < 1 && wheelZoomFactor(-100) > 1);
  });

  it('on load a graph too wide to read when fitted shows its output end at a readable scale', () => {
    const content = { width: 3000, height: 200 };
    const view = { width: 1000, height: 300 };
    const output = { x: 2900, y: 80, width: 100, height: 40 };
    const t = readableFitTransform(content, view, output, 12);
    assert.equal(t.k, minReadableScale);
    assert.equal((output.x + output.width) * t.k + t.x, view.width - 12);
    const small = readableFitTransform({ width: 500, height: 200 }, view, output, 12);
    assert.deepEqual(small, fitTransform({ width: 500, height: 200 }, view, 12));
  });

  it('keyboard focus pans just enough to show the focused box', () => {
    const view = { width: 500, height: 300 };
    const t = panToShow({ x: 0, y: 0, k: 1 }, { x: 600, y: 100, width: 80, height: 40 }, view, 16);
    assert.equal(600 + 80 + t.x, 500 - 16);
    assert.equal(t.y, 0);
    const unchanged = panToShow({ x: 0, y: 0, k: 1 }, { x: 100, y: 100, width: 80, height: 40 }, view, 16);
    assert.deepEqual(unchanged, { x: 0, y: 0, k: 1 });
  });

  it('the graph pane is as tall as the graph needs, within bounds', () => {
    assert.equal(graphPaneHeight({ width: 500, height: 1000 }, 1000, { min: 220, max: 600 }), 600);
    assert.equal(graphPaneHeight({ width: 500, height: 50 }, 1000, { min: 220, max: 600 }), 220);
    assert.equal(graphPaneHeight({ width: 976, height: 300 }, 1000, { min: 220, max: 600 }), 326);
  });
});

describe('webview initial view of a wide graph with problems', () => {
  it('starts at the nodes with problems, at a readable scale, without an empty band', () => {
    const content = { width: 3000, height: 200 };
    const view = { width: 1000, height: 300 };
    const problems = { x: 40, y: 20, width: 120, height: 60 };
    const t = readableFitTransform(content, view, problems, 12, 'start');
    assert.equal(t.k, minReadableScale);
    assert.equal(problems.x * t.k + t.x, 12); // the problems start at the view's left edge
    const late = readableFitTransform(content, view, { x: 2950, y: 20, width: 40, height: 60 }, 12, 'start');
    assert.equal(3000 * late.k + late.x, view.width - 12); // the graph's right end stays at the view's
  });
});
