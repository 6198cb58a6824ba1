import { describe, expect, it } from 'vitest';
import { infer } from '../../src/logic/infer.js';
import { knowledgeBase } from '../../src/logic/logic-builder.js';
import { renderLogicGraphSvg } from '../../src/report/logic-graph-svg.js';
import { checkXml, svgTexts } from '../helpers/check-xml.js';

describe('renderLogicGraphSvg', () => {
  it('draws every node with its bounds and highlights contradictions', () => {
    const g = knowledgeBase('lnn', 'demo <kb>')
      .propositions('A', 'B', 'C')
      .and('AB', ['A', 'B'])
      .or('BC', ['B', '¬C'])
      .fact('A', 1)
      .fact('B', 0)
      .fact('AB', 1)
      .build();
    const r = infer(g);
    const svg = renderLogicGraphSvg(r);
    const names = checkXml(svg);
    expect(names[0]).toBe('svg');
    const texts = svgTexts(svg);
    expect(texts).toContain('demo <kb>');
    for (const n of g.nodes) expect(texts).toContain(n.id);
    expect(texts.some((t) => t.includes('[1.000, 1.000]'))).toBe(true);
    expect(texts.some((t) => t.includes('1 contradiction'))).toBe(true);
    expect(svg.match(/stroke="#d62828"/g)?.length).toBe(1); // the one crossed node
    // hidden nodes can be left out
    const lean = renderLogicGraphSvg(r, { showHidden: false });
    expect(svgTexts(lean)).not.toContain('¬C');
  });
});
