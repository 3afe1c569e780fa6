// Messages between the extension host and the "Show Gradients" panel. Plain data only; the panel
// validates nothing it cannot see, the host validates everything the panel sends.
import type { Report } from '../analysis/report';

/** What the panel persists (vscode.getState/setState) so a reload can restore it. */
export interface PanelState {
  uri: string;
  target: Report['target'];
}

export type HostToPanel =
  | { type: 'report'; report: Report; fileName: string; title: string; state: PanelState }
  | { type: 'busy'; message: string }
  | { type: 'error'; message: string };

export type PanelToHost =
  | { type: 'ready' }
  /** Reveal and highlight a source range (1-based lines and columns). */
  | { type: 'reveal'; line: number; column: number; endLine: number; endColumn: number }
  /** Re-run the analysis of the panel's target. */
  | { type: 'rerun' };
