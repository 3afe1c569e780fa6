// The whole "Show Gradients" panel for one Report: header with the status line, problems first,
// the graph beside the selected node's details, then inputs and the backward code.
import type { GraphNode, Report } from '../src/analysis/report';
import type { HostToPanel, PanelToHost } from '../src/vscode/protocol';
import { renderDetails } from './details';
import { button, clear, el, section } from './dom';
import { buildViewGraph, nodeKey, ViewGraph } from './graphModel';
import { GraphView } from './graphView';
import { outputSummary, revealForNode, verdict } from './summary';
import { backwardCodeSection, errorTable, inputTable, mismatchTable, TableCallbacks } from './tables';

type ReportMessage = Extract<HostToPanel, { type: 'report' }>;

/** What the panel remembers across reloads besides the host's PanelState. */
export interface ViewState {
  selectedNode: number | null;
  expandedRuns: number[];
  openInputs: string[];
}

export interface PanelHost {
  post(message: PanelToHost): void;
  /** Persists the host's PanelState with the view state (webview setState). */
  save(message: ReportMessage, view: ViewState): void;
}

export class Panel {
  private readonly header: HTMLElement;
  private readonly statusLine: HTMLElement;
  private readonly busyLine: HTMLElement;
  private readonly body: HTMLElement;
  private message: ReportMessage | null = null;
  private viewGraph: ViewGraph | null = null;
  private graphView: GraphView | null = null;
  private detailsSlot: HTMLElement | null = null;
  private inputsSlot: HTMLElement | null = null;
  private selectedKey: string | null = null;
  private readonly expandedRuns = new Set<string>();
  private readonly openInputs = new Set<string>();

  constructor(
    root: HTMLElement,
    private readonly host: PanelHost,
    restored: ViewState | null,
  ) {
    this.header = el('header', { className: 'gl-header' });
    this.statusLine = el('div', { className: 'gl-status', attrs: { role: 'status' } });
    this.busyLine = el('div', { className: 'gl-busy', attrs: { 'aria-live': 'polite' } });
    this.body = el('main', { className: 'gl-body' });
    root.append(this.header, this.statusLine, this.busyLine, this.body);
    if (restored) {
      if (restored.selectedNode !== null) this.selectedKey = nodeKey(restored.selectedNode);
      restored.expandedRuns.forEach((id) => this.expandedRuns.add(nodeKey(id)));
      restored.openInputs.forEach((name) => this.openInputs.add(name));
    }
    this.showBusy('Waiting for the analysis…');
  }

  handle(message: HostToPanel): void {
    if (message.type === 'report') this.showReport(message);
    else if (message.type === 'busy') this.showBusy(message.message);
    else this.showHostError(message.message);
  }

  showBusy(text: string): void {
    this.busyLine.className = 'gl-busy gl-busy--active';
    this.busyLine.textContent = text;
  }

  private showHostError(text: string): void {
    this.busyLine.className = 'gl-busy gl-busy--error';
    this.busyLine.textContent = text;
  }

  showReport(message: ReportMessage): void {
    this.message = message;
    const report = message.report;
    this.busyLine.className = 'gl-busy';
    this.busyLine.textContent = '';
    this.graphView?.dispose();
    this.graphView = null;
    this.viewGraph = report.graph.nodes.length > 0 ? buildViewGraph(report.graph) : null;
    if (this.selectedKey && !this.viewGraph?.nodes.some((n) => n.key === this.selectedKey)) this.selectedKey = null;
    // Start on the output: its value and the gate that made it are what a reader looks at first.
    this.selectedKey ??= this.viewGraph?.outputKey ?? null;
    this.renderHeader(message);
    this.renderStatus(report);
    this.renderBody(report);
    this.save();
  }

  private renderHeader(message: ReportMessage): void {
    clear(this.header);
    const rerun = button('Re-run', () => this.host.post({ type: 'rerun' }), { className: 'gl-secondary', title: 'Run the analysis again' });
    this.header.append(
      el('div', { className: 'gl-title' }, el('h1', { text: message.title }), el('span', { className: 'gl-file', text: message.fileName })),
      rerun,
    );
  }

  private renderStatus(report: Report): void {
    clear(this.statusLine);
    const output = outputSummary(report);
    const { tone, text } = verdict(report);
    if (output) this.statusLine.appendChild(el('span', { className: 'gl-output-value', text: output }));
    this.statusLine.appendChild(el('span', { className: `gl-verdict gl-tone-${tone}`, text }));
  }

  private tableCallbacks(): TableCallbacks {
    return {
      onReveal: (reveal) => this.host.post(reveal),
      onToggleInput: (name) => {
        if (this.openInputs.has(name)) this.openInputs.delete(name);
        else this.openInputs.add(name);
        this.renderInputs();
        this.save();
      },
    };
  }

  private renderBody(report: Report): void {
    clear(this.body);
    const callbacks = this.tableCallbacks();
    const hasGraph = this.viewGraph !== null;
    this.body.append(...[mismatchTable(report, callbacks), errorTable(report, callbacks, !hasGraph)].filter((s): s is HTMLElement => s !== null));
    if (this.viewGraph) {
      this.graphView = new GraphView(this.viewGraph, { onSelect: (key) => this.select(key, true) });
      this.detailsSlot = el('div', { className: 'gl-details-slot' });
      const layout = el('div', { className: 'gl-graph-layout' }, this.graphView.element, this.detailsSlot);
      this.body.appendChild(section('Computational graph', 'gl-graph-section', graphLegend(), layout));
      this.graphView.mounted();
      this.graphView.select(this.selectedKey);
      this.renderDetails();
    } else if (report.errors.length === 0) {
      this.body.appendChild(el('p', { className: 'gl-muted', text: 'No graph: the output does not depend on any float input.' }));
    }
    this.inputsSlot = el('div', { className: 'gl-inputs-slot' });
    this.body.appendChild(this.inputsSlot);
    this.renderInputs();
    const code = backwardCodeSection(report);
    if (code) this.body.appendChild(code);
  }

  private renderInputs(): void {
    if (!this.inputsSlot || !this.message) return;
    clear(this.inputsSlot);
    const table = inputTable(this.message.report, this.openInputs, this.tableCallbacks());
    if (table) this.inputsSlot.appendChild(table);
  }

  private renderDetails(): void {
    if (!this.detailsSlot || !this.message || !this.viewGraph) return;
    clear(this.detailsSlot);
    const view = this.viewGraph.nodes.find((n) => n.key === this.selectedKey) ?? null;
    this.detailsSlot.appendChild(
      renderDetails(view, this.message.report, this.expandedRuns, {
        onReveal: (node) => this.reveal(node),
        onToggleRuns: (key) => {
          if (this.expandedRuns.has(key)) this.expandedRuns.delete(key);
          else this.expandedRuns.add(key);
          this.renderDetails();
          this.save();
        },
      }),
    );
  }

  private select(key: string, reveal: boolean): void {
    this.selectedKey = key;
    this.graphView?.select(key);
    this.renderDetails();
    const view = this.viewGraph?.nodes.find((n) => n.key === key);
    if (reveal && view) this.reveal(view.node);
    this.save();
  }

  private reveal(node: GraphNode): void {
    if (!this.message) return;
    const message = revealForNode(this.message.report, node);
    if (message) this.host.post(message);
  }

  private save(): void {
    if (!this.message) return;
    const idOf = (key: string): number | null => (this.viewGraph?.nodes.find((n) => n.key === key)?.node.id ?? null);
    this.host.save(this.message, {
      selectedNode: this.selectedKey ? idOf(this.selectedKey) : null,
      expandedRuns: [...this.expandedRuns].map(idOf).filter((id): id is number => id !== null),
      openInputs: [...this.openInputs],
    });
  }
}

function graphLegend(): HTMLElement {
  const item = (className: string, label: string): HTMLElement =>
    el('span', { className: 'gl-legend-item' }, el('span', { className: `gl-swatch ${className}`, attrs: { 'aria-hidden': 'true' } }), label);
  return el(
    'div',
    { className: 'gl-graph-legend' },
    item('gl-swatch--leaf', 'input'),
    item('gl-swatch--gate', 'gate'),
    item('gl-swatch--output', 'output'),
    item('gl-swatch--constant', 'constant'),
    item('gl-swatch--problem', 'problem'),
    el('span', { className: 'gl-muted', text: 'data | grad per gate · ×n: a loop body that ran n times · drag to pan, wheel to zoom' }),
  );
}
