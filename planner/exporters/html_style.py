"""The printable page's style sheet (pure data), kept apart from the markup in
:mod:`planner.exporters.html`."""

from planner.exporters.svg import DONE_COLOUR

CSS = """
@page { margin: 11mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Liberation Sans", Arial, "Helvetica Neue", "DejaVu Sans", sans-serif;
  font-size: 10pt; line-height: 1.35; color: #111; margin: 0 auto; max-width: 190mm;
  padding: 6mm; overflow-wrap: anywhere; }
@media print { body { max-width: none; padding: 0; } }
h1 { font-size: 20pt; margin: 0 0 4pt; }
h2 { font-size: 14pt; margin: 0 0 6pt; border-bottom: 2px solid #333; padding-bottom: 2pt; }
h3 { font-size: 11pt; margin: 0; }
/* A heading always stands on the page of what it heads: never alone at a page's foot. */
h1, h2, h3, figcaption { break-after: avoid; }
.keep, .phases, .joined { break-inside: avoid; }
.joined { margin: 2pt 0 0; } .rest { margin-top: 0; }
p { margin: 3pt 0; }
.page { break-before: page; }
.summary { font-size: 11pt; }
.grid2 { display: flex; gap: 8mm; flex-wrap: wrap; }
.grid2 > * { flex: 1 1 75mm; min-width: 0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 4pt 0; }
th, td { text-align: left; vertical-align: top; padding: 2pt 4pt; border-bottom: 1px solid #ccc; }
th { font-size: 8.5pt; text-transform: uppercase; letter-spacing: .02em; color: #444; }
.facts th { width: 38%; text-transform: none; font-size: 10pt; color: #333; }
.safety { border: 2px solid #c92a2a; border-radius: 4px; padding: 5pt 8pt; margin: 8pt 0;
  break-inside: avoid; }
.safety h3 { color: #c92a2a; }
.safety ul, .status ul, .reports ul, .callout ul { margin: 2pt 0 4pt; padding-left: 14pt; }
.status { border: 1px solid #adb5bd; border-radius: 4px; padding: 4pt 8pt; margin: 6pt 0;
  break-inside: avoid; }
.safety.status { border: 3px solid #c92a2a; background: #fff5f5; }
.callout.paused { border-left-color: #c92a2a; background: #fff5f5; }
.reports { font-size: 9pt; margin-top: 6pt; break-inside: avoid; }
.callout { border-left: 4px solid #555; background: #f1f3f5; padding: 3pt 8pt; margin: 4pt 0; }
.callout.deload { border-left-color: #868e96; border-left-style: dashed; }
.swatch { display: inline-block; width: 9pt; height: 9pt; border-radius: 2px;
  vertical-align: -1pt; margin-right: 3pt; }
.week { break-inside: avoid; }
.card { margin: 6pt 0; }
.card th { text-transform: none; letter-spacing: 0; font-size: 8.5pt; }
.card td, .card th { line-height: 1.25; padding: 1.5pt 4pt; }
.card tr.block td { font-size: 8.5pt; color: #333; background: #f8f9fa; }
.card tr.group td { font-size: 8.5pt; font-weight: bold; border-bottom: 0; }
.fill { font-size: 8pt; color: #444; display: flex; gap: 3pt; align-items: flex-end; }
.fill > span:first-child { white-space: nowrap; overflow-wrap: normal; }
.fill .line { flex: 1; width: auto; min-width: 12pt; }
.pair { display: flex; gap: 4pt; } .pair > .fill { flex: 1 1 0; min-width: 0; }
.card tr { break-inside: avoid; }
.banner { font-size: 9pt; } .banner p { margin: 1pt 0; } .banner .pause { font-weight: bold; }
.status h3 { font-size: 10.5pt; margin-top: 2pt; } .status ul { margin-top: 0; }
.appendix ol { padding-left: 18pt; font-size: 9pt; } .appendix li { margin: 2pt 0; }
.chart-row { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 4mm; }
.chart-row figure { margin: 2pt 0 6pt; }
.notes { font-size: 9pt; margin-top: 6pt; }
.notes .line { display: block; height: 14pt; }
.cue { font-size: 8.5pt; color: #444; }
.log { font-size: 8.5pt; color: #a33f00; }
.box { display: inline-block; width: 10pt; height: 10pt; border: 1.2px solid #222;
  border-radius: 2px; margin: 0 2pt 2pt 0; vertical-align: middle; }
.box.ticked { background: #222; }
.line { display: inline-block; width: 100%; min-width: 22pt; border-bottom: 1px solid #222;
  height: 11pt; }
.line.short { width: 26pt; }
.footer { display: flex; gap: 10pt; font-size: 9pt; margin-top: 3pt; flex-wrap: wrap; }
.reminder { font-size: 8.5pt; color: #444; margin-top: 6pt; }
figure { margin: 4pt 0 9pt; break-inside: avoid; }
figcaption { font-size: 9pt; color: #333; margin-bottom: 2pt; }
.chart { width: 100%; height: auto; display: block; }
.chart text { font-family: "Liberation Sans", Arial, sans-serif; font-size: 10px; fill: #333; }
.chart .tick { fill: #555; } .chart .note { fill: #666; font-style: italic; font-size: 9px; }
.chart .value { font-size: 9px; }
.chart .grid { stroke: #e3e3e3; } .chart .axis { stroke: #333; }
.chart .deload { fill: #ececec; }
.chart .phase-line { stroke: #777; stroke-dasharray: 4 3; }
.chart .bar-deload { fill-opacity: .45; stroke: #333; stroke-dasharray: 3 2; }
.chart .planned { fill: none; stroke: #3b5bdb; stroke-width: 2; }
.chart .planned-dot { fill: #3b5bdb; }
.chart .done-line { fill: none; stroke: %(done)s; stroke-width: 1.5; stroke-dasharray: 4 3; }
.chart .done { fill: #fff; stroke-width: 2; }
.legend { font-size: 8.5pt; color: #333; }
.legend .mark { display: inline-block; width: 8pt; height: 8pt; vertical-align: -1pt;
  margin: 0 2pt 0 8pt; }
""".replace("%(done)s", DONE_COLOUR)
