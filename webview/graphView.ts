// The graph pane: the SVG drawing with pan (drag), zoom (wheel and buttons), fit-to-view,
// selection by click or keyboard, and the path to the output lit on hover or focus.
import { button, el, svg } from './dom';
import { arrowMarkers, drawEdge, drawNode } from './graphNodes';
import { pathToOutput, ViewGraph } from './graphModel';
import { Direction, GraphLayout, layoutGraph, neighborInDirection, PlacedNode } from './layout';
import { fitTransform, graphPaneHeight, panBy, panToShow, readableFitTransform, Transform, wheelZoomFactor, zoomAt } from './viewport';

export interface GraphViewCallbacks {
  onSelect(key: string): void;
}

const arrowKeys: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };
/** A press that moves less than this is a click, not a drag. */
const dragThreshold = 4;

export class GraphView {
  readonly element: HTMLElement;
  private readonly layout: GraphLayout;
  private readonly svgRoot: SVGSVGElement;
  private readonly hint: HTMLElement;
  private readonly viewportGroup: SVGGElement;
  private readonly nodeElements = new Map<string, SVGGElement>();
  private readonly edgeElements = new Map<string, SVGGElement>();
  private transform: Transform = { x: 0, y: 0, k: 1 };
  /** How a resize refits: the load-time view, the Fit button's, or not at all once panned by hand. */
  private fitMode: 'initial' | 'fit' | 'manual' = 'initial';
  private selected: string | null = null;
  private readonly resizeObserver: ResizeObserver | null = null;

  constructor(
    private readonly graph: ViewGraph,
    private readonly callbacks: GraphViewCallbacks,
  ) {
    this.layout = layoutGraph(graph);
    this.viewportGroup = svg('g', { class: 'gl-viewport' });
    const edges = svg('g', { class: 'gl-edges' });
    const nodes = svg('g', { class: 'gl-nodes' });
    for (const edge of this.layout.edges) {
      const drawn = drawEdge(edge);
      this.edgeElements.set(edge.key, drawn);
      edges.appendChild(drawn);
    }
    for (const node of graph.nodes) {
      const placed = this.layout.nodes.get(node.key);
      if (!placed) continue;
      const drawn = drawNode(node, placed);
      this.nodeElements.set(node.key, drawn);
      nodes.appendChild(drawn);
    }
    this.viewportGroup.append(edges, nodes);
    this.svgRoot = svg(
      'svg',
      { class: 'gl-graph-svg', role: 'group', 'aria-label': 'Computational graph: arrow keys move between gates, Enter selects' },
      arrowMarkers(),
      this.viewportGroup,
    );
    const toolbar = el(
      'div',
      { className: 'gl-graph-toolbar' },
      button('−', () => this.zoomBy(1 / 1.25), { title: 'Zoom out', attrs: { 'aria-label': 'Zoom out' } }),
      button('+', () => this.zoomBy(1.25), { title: 'Zoom in', attrs: { 'aria-label': 'Zoom in' } }),
      button('Fit', () => this.fit(), { title: 'Fit the graph to the view' }),
    );
    this.hint = el('span', { className: 'gl-graph-hint', text: 'Part of the graph is off-screen: drag to pan, or Fit to see it all.' });
    this.hint.hidden = true;
    this.element = el('div', { className: 'gl-graph' }, toolbar, this.hint, this.svgRoot);
    this.wirePointer();
    this.wireNodes();
    if (typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver(() => this.onResize());
      this.resizeObserver.observe(this.element);
    }
  }

  /** Call once the element is in the document: sizes the pane and fits the graph. */
  mounted(): void {
    this.onResize();
  }

  dispose(): void {
    this.resizeObserver?.disconnect();
  }

  select(key: string | null): void {
    if (this.selected) this.nodeElements.get(this.selected)?.classList.remove('gl-node--selected');
    this.selected = key && this.nodeElements.has(key) ? key : null;
    if (this.selected) this.nodeElements.get(this.selected)?.classList.add('gl-node--selected');
  }

  focusNode(key: string): void {
    const element = this.nodeElements.get(key);
    const placed = this.layout.nodes.get(key);
    if (!element || !placed) return;
    element.focus({ preventScroll: true });
    this.apply(panToShow(this.transform, placed, this.viewSize()));
  }

  /** The whole graph in view, whatever the scale (the Fit button). */
  fit(): void {
    this.fitMode = 'fit';
    this.apply(fitTransform(this.layout, this.viewSize()));
  }

  private initialView(): void {
    // Problems first: a reader opens the panel to see what is wrong; else the output's end.
    const problems = this.graph.nodes.filter((n) => n.node.problem).map((n) => this.layout.nodes.get(n.key));
    const output = this.graph.outputKey ? this.layout.nodes.get(this.graph.outputKey) : undefined;
    const anchors = problems.length > 0 ? problems : [output];
    const anchor = boundingBox(anchors.filter((n): n is PlacedNode => n !== undefined)) ?? { x: this.layout.width, y: this.layout.height / 2, width: 0, height: 0 };
    const view = this.viewSize();
    const transform = readableFitTransform(this.layout, view, anchor, 12, problems.length > 0 ? 'start' : 'end');
    this.apply(transform);
    this.hint.hidden = transform.k <= fitTransform(this.layout, view).k;
  }

  private zoomBy(factor: number): void {
    const view = this.viewSize();
    this.fitMode = 'manual';
    this.apply(zoomAt(this.transform, factor, view.width / 2, view.height / 2));
  }

  private viewSize(): { width: number; height: number } {
    return { width: this.svgRoot.clientWidth, height: this.svgRoot.clientHeight };
  }

  private onResize(): void {
    const width = this.element.clientWidth;
    if (width <= 0) return;
    const height = graphPaneHeight(this.layout, width, { min: 220, max: Math.max(320, Math.round(window.innerHeight * 0.7)) });
    this.svgRoot.style.height = `${height}px`;
    if (this.fitMode === 'initial') this.initialView();
    else if (this.fitMode === 'fit') this.fit();
  }

  private apply(transform: Transform): void {
    this.hint.hidden = true;
    this.transform = transform;
    this.viewportGroup.setAttribute('transform', `translate(${transform.x},${transform.y}) scale(${transform.k})`);
  }

  private wirePointer(): void {
    let press: { id: number; x: number; y: number; dragging: boolean; key: string | null } | null = null;
    this.svgRoot.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      const target = event.target instanceof Element ? event.target.closest<SVGGElement>('.gl-node') : null;
      press = { id: event.pointerId, x: event.clientX, y: event.clientY, dragging: false, key: target?.dataset.key ?? null };
    });
    this.svgRoot.addEventListener('pointermove', (event) => {
      if (!press || press.id !== event.pointerId) return;
      const dx = event.clientX - press.x;
      const dy = event.clientY - press.y;
      if (!press.dragging && Math.hypot(dx, dy) < dragThreshold) return;
      if (!press.dragging) {
        press.dragging = true;
        this.svgRoot.setPointerCapture(event.pointerId);
        this.svgRoot.classList.add('gl-panning');
      }
      this.fitMode = 'manual';
      this.apply(panBy(this.transform, dx, dy));
      press.x = event.clientX;
      press.y = event.clientY;
    });
    const release = (event: PointerEvent): void => {
      if (!press || press.id !== event.pointerId) return;
      const { dragging, key } = press;
      press = null;
      this.svgRoot.classList.remove('gl-panning');
      if (dragging) this.svgRoot.releasePointerCapture(event.pointerId);
      else if (key && event.type === 'pointerup') this.callbacks.onSelect(key);
    };
    this.svgRoot.addEventListener('pointerup', release);
    this.svgRoot.addEventListener('pointercancel', release);
    this.svgRoot.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        const box = this.svgRoot.getBoundingClientRect();
        this.fitMode = 'manual';
        this.apply(zoomAt(this.transform, wheelZoomFactor(event.deltaY), event.clientX - box.left, event.clientY - box.top));
      },
      { passive: false },
    );
  }

  private wireNodes(): void {
    for (const [key, element] of this.nodeElements) {
      element.addEventListener('pointerenter', () => this.highlight(key));
      element.addEventListener('pointerleave', () => this.highlight(null));
      // Keyboard focus lights the path as hover does; a click's focus should not dim the graph.
      element.addEventListener('focus', () => {
        if (element.matches(':focus-visible')) this.highlight(key);
      });
      element.addEventListener('blur', () => this.highlight(null));
      element.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          this.callbacks.onSelect(key);
          return;
        }
        const direction = arrowKeys[event.key];
        if (!direction) return;
        event.preventDefault();
        const next = neighborInDirection(this.graph, this.layout, key, direction);
        if (next) this.focusNode(next);
      });
    }
  }

  /** Lights the path from a node to the output and dims the rest; null clears it. */
  private highlight(key: string | null): void {
    for (const element of [...this.nodeElements.values(), ...this.edgeElements.values()]) element.classList.remove('gl-hot');
    for (const element of this.edgeElements.values()) element.querySelector('path')?.setAttribute('marker-end', 'url(#gl-arrow)');
    this.svgRoot.classList.toggle('gl-dimmed', key !== null);
    if (key === null) return;
    const path = pathToOutput(this.graph, key);
    for (const nodeKey of path.nodes) this.nodeElements.get(nodeKey)?.classList.add('gl-hot');
    for (const edgeKey of path.edges) {
      const edge = this.edgeElements.get(edgeKey);
      edge?.classList.add('gl-hot');
      edge?.querySelector('path')?.setAttribute('marker-end', 'url(#gl-arrow-hot)');
    }
  }
}

function boundingBox(boxes: readonly PlacedNode[]): { x: number; y: number; width: number; height: number } | null {
  if (boxes.length === 0) return null;
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}
