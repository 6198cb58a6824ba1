/**
 * Server-rendered SVG (the Gantt charts) turned into DOM nodes: parsed as SVG, never as HTML, with
 * scripts and foreign objects removed.
 */

/** The SVG document `text` as a node to insert into the page. */
export function parseSvg(text: string): Node {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  for (const s of doc.querySelectorAll('script, foreignObject')) s.remove();
  return document.importNode(doc.documentElement, true);
}
