// Entry of the "Show Gradients" webview: talks to the extension host through acquireVsCodeApi,
// renders each Report it is sent, and persists what a reload needs with setState.
import type { HostToPanel, PanelState, PanelToHost } from '../src/vscode/protocol';
import { Panel, ViewState } from './panel';

/** The host's PanelState plus the panel's own view state; the host reads only its own fields. */
interface StoredState extends PanelState {
  view?: ViewState;
}

interface VsCodeApi {
  postMessage(message: PanelToHost): void;
  getState(): StoredState | undefined;
  setState(state: StoredState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

function isHostMessage(data: unknown): data is HostToPanel {
  if (typeof data !== 'object' || data === null) return false;
  const type = (data as { type?: unknown }).type;
  return type === 'report' || type === 'busy' || type === 'error';
}

function start(): void {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('gradlens') ?? document.body.appendChild(document.createElement('div'));
  root.id = 'gradlens';
  const panel = new Panel(root, {
    post: (message) => vscode.postMessage(message),
    save: (message, view) => vscode.setState({ ...message.state, view }),
  }, vscode.getState()?.view ?? null);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isHostMessage(event.data)) panel.handle(event.data);
  });
  vscode.postMessage({ type: 'ready' });
}

start();
