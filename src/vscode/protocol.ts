// Messages between the extension host and the "Show Gradients" panel. Plain data only; the panel
// validates nothing it cannot see, the host validates everything the panel sends.
//
// Lifecycle (host side in src/vscode/panel.ts):
// - The page loads dist/webview.js and dist/webview.css (see panelHtml.ts for the CSP: scripts need
//   the page's nonce, styles come from webview.cspSource or carry the nonce, images may be data:).
// - The panel posts `ready` once its script runs, and again whenever VS Code re-creates the page
//   (a hidden panel is not kept alive). The host answers with its latest message: `report` when a
//   Report exists, else `busy`; before `ready` the host posts nothing.
// - The host posts `busy` when it starts an analysis (the document was saved, `rerun`, a check
//   from the code lens) and `report` or `error` when it ends. A `report` replaces the previous one.
// - The panel keeps `state` with vscode.setState(state) so that VS Code can restore it after a
//   reload; the host re-analyzes the document then.
// - `reveal` positions are 1-based like the Report's spans (end column exclusive); the host ignores
//   a reveal that is not inside the document. `rerun` re-analyzes even an unchanged document.
// - Unknown message types are ignored on both sides.
import type { Report } from '../analysis/report';

/** What the panel persists (vscode.getState/setState) so a reload can restore it. */
export interface PanelState {
  uri: string;
  target: Report['target'];
}

export type HostToPanel =
  /** `title` names the target ("softmax_loss()", "lines 16-20"); `fileName` is the document's base name. */
  | { type: 'report'; report: Report; fileName: string; title: string; state: PanelState }
  | { type: 'busy'; message: string }
  /** GradLens could not produce a Report (its worker failed, timed out, or was cancelled). */
  | { type: 'error'; message: string };

export type PanelToHost =
  | { type: 'ready' }
  /** Reveal and highlight a source range (1-based lines and columns). */
  | { type: 'reveal'; line: number; column: number; endLine: number; endColumn: number }
  /** Re-run the analysis of the panel's target. */
  | { type: 'rerun' };
