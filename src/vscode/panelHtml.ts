// The gradients panel's HTML: our script and stylesheet only, under a strict Content Security
// Policy with a fresh nonce (no inline code of ours runs without it, nothing remote loads).

export interface PanelPage {
  /** webview.cspSource: where the webview may load our own files from. */
  cspSource: string;
  nonce: string;
  /** webview.asWebviewUri of dist/webview.js and dist/webview.css. */
  scriptUri: string;
  styleUri: string;
  title: string;
}

/** 32 characters from a CSPRNG (webcrypto exists in Node 20 and in browsers alike). */
export function makeNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** For text and double-quoted attributes (the CSP's single quotes stay readable). */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function panelHtml(page: PanelPage): string {
  const nonce = escapeHtml(page.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(page.cspSource, page.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(page.styleUri)}">
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<div id="gradlens"></div>
<script nonce="${nonce}" src="${escapeHtml(page.scriptUri)}"></script>
</body>
</html>
`;
}
