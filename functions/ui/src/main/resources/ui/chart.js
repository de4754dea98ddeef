// Points earned and used per day, as plain SVG: two bars a day, one scale, day numbers below.
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 960;
const HEIGHT = 260;
const LEFT = 48;
const BOTTOM = 24;
const TOP = 12;

function el(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) {
    node.setAttribute(k, String(v));
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** A "nice" top of the scale: 1, 2 or 5 times a power of ten, at least the largest value. */
function niceMax(value) {
  if (value <= 0) {
    return 10;
  }
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) {
      return step * power;
    }
  }
  return 10 * power;
}

/** days: [{day: "YYYY-MM-DD", netEarnedPoints, netUsedPoints}], one per day of the month. */
export function renderChart(svg, days) {
  svg.replaceChildren();
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = (WIDTH - LEFT) / days.length;
  const bar = Math.max(2, (slot - 4) / 2);
  const values = days.flatMap((d) => [Math.max(0, d.netEarnedPoints), Math.max(0, d.netUsedPoints)]);
  const max = niceMax(Math.max(0, ...values));
  const y = (v) => TOP + plotHeight - (Math.max(0, v) / max) * plotHeight;

  for (const fraction of [0, 0.5, 1]) {
    const value = Math.round(max * fraction);
    svg.append(el('line', { x1: LEFT, x2: WIDTH, y1: y(value), y2: y(value) }));
    svg.append(el('text', { x: LEFT - 6, y: y(value) + 4, 'text-anchor': 'end' }, value.toLocaleString('en-US')));
  }
  days.forEach((d, i) => {
    const x = LEFT + i * slot + 2;
    const g = el('g', { class: 'day', 'data-day': d.day, 'data-earned': d.netEarnedPoints, 'data-used': d.netUsedPoints });
    g.append(el('title', {}, `${d.day}: earned ${d.netEarnedPoints}, used ${d.netUsedPoints}`));
    g.append(el('rect', { class: 'earn', x, y: y(d.netEarnedPoints), width: bar, height: TOP + plotHeight - y(d.netEarnedPoints) }));
    g.append(el('rect', { class: 'use', x: x + bar, y: y(d.netUsedPoints), width: bar, height: TOP + plotHeight - y(d.netUsedPoints) }));
    const dayOfMonth = Number(d.day.slice(8));
    if (dayOfMonth === 1 || dayOfMonth % 5 === 0) {
      g.append(el('text', { x: x + bar, y: HEIGHT - 6, 'text-anchor': 'middle' }, String(dayOfMonth)));
    }
    svg.append(g);
  });
}
