import { encodeGif, encodePng, type Rgb } from './images.js';

/** A file the web interface serves as is. */
export interface StaticAsset {
  contentType: string;
  body: Buffer;
}

const STYLESHEET = `/* Fleetvisor status page */
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
  color: #222; background: #f4f6f8; }
a { color: #1f5f99; }
#wrapper { max-width: 1100px; margin: 0 auto; padding: 16px; }
#header { display: flex; align-items: center; gap: 8px; padding: 8px 0 12px;
  border-bottom: 2px solid #d5dbe1; margin-bottom: 12px; }
#header .title { font-size: 20px; font-weight: 600; }
.hidden { visibility: hidden; }
.status_msg { padding: 8px 12px; margin: 0 0 12px; background: #fff8d6; border: 1px solid #e6d27a; border-radius: 4px; }
ul#buttons { list-style: none; margin: 0 0 12px; padding: 0; display: flex; gap: 8px; }
button { font: inherit; cursor: pointer; padding: 3px 10px; border: 1px solid #b8c2cc; border-radius: 4px; background: #fff; }
button:hover { background: #eaf1f8; }
.action-button button { padding: 5px 14px; font-weight: 600; }
table#statustable { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid #d5dbe1; }
th { text-align: left; padding: 8px; background: #e9edf1; border-bottom: 1px solid #d5dbe1; }
td { padding: 6px 8px; vertical-align: middle; border-bottom: 1px solid #eef1f4; }
tr.shade td { background: #f8fafb; }
td.status { width: 100px; }
td.status span { display: inline-block; padding-left: 16px; font-weight: 600;
  background-repeat: no-repeat; background-position: left center; }
.statusrunning { color: #237a2b; background-image: url(../images/state1.gif); }
.statuserror { color: #b3261e; background-image: url(../images/state3.gif); }
.statusnominal { color: #5b6670; background-image: url(../images/state0.gif); }
td.action ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
td.action form { margin: 0; }
td.action li.hidden { display: none; }
p.empty { padding: 24px; text-align: center; background: #fff; border: 1px solid #d5dbe1; }
#footer { max-width: 1100px; margin: 16px auto; padding: 8px 16px; color: #6b7580; font-size: 12px;
  display: flex; justify-content: space-between; background: url(../images/rule.gif) repeat-x top; }
body.tail { background: #fff; padding: 8px 16px; }
pre#tailbody { white-space: pre-wrap; word-break: break-all; font: 13px/1.35 ui-monospace, Menlo, Consolas, monospace; }
`;

const WHITE: Rgb = [255, 255, 255];

/** A filled disc of `colour` on white, `size` pixels square. */
function discGif(size: number, colour: Rgb, rim: Rgb): Buffer {
  const centre = (size - 1) / 2;
  const radius = size / 2 - 0.5;
  return encodeGif(size, size, [WHITE, colour, rim], (x, y) => {
    const d = Math.hypot(x - centre, y - centre);
    if (d > radius) return 0;
    return d > radius - 1 ? 2 : 1;
  });
}

/** The page's mark: a green disc with a white ring, as PNG with transparency. */
function iconPng(size: number): Buffer {
  const centre = (size - 1) / 2;
  return encodePng(size, size, (x, y) => {
    const d = Math.hypot(x - centre, y - centre);
    if (d > size / 2) return [0, 0, 0, 0];
    if (d > size / 2 - size / 8) return [31, 95, 153, 255];
    if (d > size / 4) return [255, 255, 255, 255];
    return [35, 122, 43, 255];
  });
}

function logoGif(size: number): Buffer {
  const centre = (size - 1) / 2;
  return encodeGif(size, size, [[244, 246, 248], [31, 95, 153], WHITE, [35, 122, 43]], (x, y) => {
    const d = Math.hypot(x - centre, y - centre);
    if (d > size / 2) return 0;
    if (d > size / 2 - size / 8) return 1;
    return d > size / 4 ? 2 : 3;
  });
}

function buildAssets(): Map<string, StaticAsset> {
  const gif = (body: Buffer): StaticAsset => ({ contentType: 'image/gif', body });
  return new Map<string, StaticAsset>([
    ['stylesheets/supervisor.css', { contentType: 'text/css', body: Buffer.from(STYLESHEET, 'utf8') }],
    ['images/icon.png', { contentType: 'image/png', body: iconPng(16) }],
    ['images/supervisor.gif', gif(logoGif(24))],
    ['images/rule.gif', gif(encodeGif(4, 2, [[213, 219, 225], [244, 246, 248]], (_x, y) => y))],
    ['images/state0.gif', gif(discGif(10, [150, 158, 166], [110, 118, 126]))],
    ['images/state1.gif', gif(discGif(10, [60, 170, 70], [35, 122, 43]))],
    ['images/state2.gif', gif(discGif(10, [240, 170, 40], [190, 125, 20]))],
    ['images/state3.gif', gif(discGif(10, [220, 60, 50], [179, 38, 30]))],
  ]);
}

let assets: Map<string, StaticAsset> | undefined;

/** The asset at `path` (relative, e.g. `images/icon.png`), or undefined. */
export function staticAsset(path: string): StaticAsset | undefined {
  assets ??= buildAssets();
  return assets.get(path);
}

export function staticAssetPaths(): string[] {
  assets ??= buildAssets();
  return [...assets.keys()];
}
