/** The `arbiter demo` report: its summary table, a note and a Gantt chart in one HTML page. */
import { escapeXml } from './escape-xml.js';

/** The page: `rows` under `head`, the note, then the Gantt SVG with its caption. */
export function demoReportHtml(r: {
  title: string;
  head: string[];
  rows: string[][];
  note: string;
  gantt: string;
  ganttCaption: string;
}): string {
  const th = r.head.map((h) => `<th>${escapeXml(h)}</th>`).join('');
  const trs = r.rows
    .map((row) => `<tr>${row.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeXml(r.title)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .7em;text-align:right}td:first-child,th:first-child{text-align:left}</style>
</head><body>
<h1>${escapeXml(r.title)}</h1>
<table><thead><tr>${th}</tr></thead><tbody>
${trs}
</tbody></table>
<p>${escapeXml(r.note)}</p>
<h2>Gantt chart</h2>
<p>${escapeXml(r.ganttCaption)}</p>
${r.gantt}
</body></html>
`;
}
