// The digest page's inline stylesheet: light theme, system fonts, one column on
// a phone, charts side by side from tablet width up, and a print layout that
// keeps charts and table rows whole.
export const DIGEST_CSS = `
:root{--ink:#1c2433;--muted:#5d6678;--line:#e3e7ee;--bg:#f6f7fb;--card:#fff;--accent:#2f6fde;--orphan:#e0802b;--stale:#8a63d2;--good:#1f8a5b;--bad:#c2412d}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-variant-numeric:tabular-nums}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.nav{display:flex;align-items:center;justify-content:space-between;gap:12px;max-width:1200px;margin:0 auto;padding:14px 20px;font-size:14px;color:var(--muted)}
.nav .brand{font-weight:700;color:var(--ink);letter-spacing:.02em}
.nav .weeks{display:flex;gap:14px;align-items:center}
.nav .current{font-weight:600;color:var(--ink)}
.nav .weeks a,.nav .current{white-space:nowrap}
main{max-width:1200px;margin:0 auto;padding:0 20px 40px}
.hero{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:24px 28px;margin-bottom:20px}
.eyebrow{margin:0 0 6px;font-size:13px;text-transform:uppercase;letter-spacing:.08em;color:var(--muted)}
h1{margin:0;font-size:clamp(24px,3.4vw,36px);line-height:1.2;letter-spacing:-.01em}
.delta{white-space:nowrap}.delta.up{color:var(--good)}.delta.down{color:var(--bad)}
.sub{margin:8px 0 0;color:var(--muted)}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(100px,1fr));gap:10px;margin:20px 0 0;padding:0}
.kpi{border:1px solid var(--line);border-radius:10px;padding:10px 14px}
.kpi dt{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
.kpi dd{margin:2px 0 0;font-size:22px;font-weight:650}
.kpi.orphan dd{color:var(--orphan)}.kpi.stale dd{color:var(--stale)}.kpi.aligned dd{color:var(--accent)}
.charts{display:grid;grid-template-columns:1fr;gap:16px;margin-bottom:20px}
@media (min-width:900px){.charts{grid-template-columns:1fr 1fr;grid-template-areas:'trend target' 'team target';align-items:start}.fig-trend{grid-area:trend}.fig-target{grid-area:target}.fig-team{grid-area:team}}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:14px;padding:16px 18px;break-inside:avoid}
figcaption{font-weight:650;margin-bottom:8px}
figcaption small{display:block;font-weight:400;color:var(--muted)}
svg.chart{display:block;width:100%;height:auto}
section.card{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:18px 22px;margin-bottom:20px}
h2{font-size:19px;margin:0 0 4px}
h3{font-size:15px;margin:18px 0 6px}
.note{color:var(--muted);margin:0 0 12px;font-size:14px}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;white-space:nowrap}
tr{break-inside:avoid}
.key{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;white-space:nowrap}
.pill{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;border:1px solid var(--line);color:var(--muted);white-space:nowrap}
.pill.orphan{color:var(--orphan);border-color:#f3c9a3}.pill.stale{color:var(--stale);border-color:#d4c6f0}
.pill.retired,.pill.ended{color:var(--bad);border-color:#efc2ba}
.pill.on-track{color:var(--good);border-color:#a9dcc4}.pill.at-risk{color:#b45309;border-color:#f1d19b}.pill.off-track{color:var(--bad);border-color:#efc2ba}.pill.low-data{color:var(--muted)}
.forecasts{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:16px;margin:12px 0 8px}
.forecast{border:1px solid var(--line);border-radius:10px;padding:12px 14px}.forecast h3{margin:0 0 4px;font-size:16px}
.forecast-line,.cut-line,.demand-line{margin:4px 0;font-size:14px}.cut-line{color:var(--muted)}
.forecast-chart{width:100%;height:auto;max-height:90px}
.alert{border:1px solid #efc2ba;background:#fdf3f1;border-radius:10px;padding:10px 14px;margin:10px 0}.alert ul{margin:4px 0 0;padding-left:20px}
.indent-1{padding-left:26px}.indent-2{padding-left:44px}.indent-3{padding-left:62px}.indent-4{padding-left:80px}
.path{color:var(--muted);font-size:13px}
.team{margin-top:14px}
table.tickets{table-layout:fixed}.tickets .c-key{width:120px}.tickets .c-verdict{width:96px}.tickets .c-tracker{width:80px}.tickets td{overflow-wrap:anywhere}
.team h3{display:flex;gap:10px;align-items:baseline}
.more{color:var(--muted);font-size:13px;margin:6px 0 0}
.placement{font-size:13px;margin-top:2px}
.placement.new{color:var(--warn,#b45309)}
.placement.belongs{color:var(--muted)}
ul.plain{margin:0;padding-left:18px}
.theme-label{font-weight:650}
.empty{color:var(--muted);font-style:italic;margin:0}
footer{max-width:1200px;margin:0 auto;padding:0 20px 30px;color:var(--muted);font-size:13px}
@media (max-width:600px){body{font-size:14px}.hero{padding:18px}section.card{padding:14px}figure{padding:12px}.nav{flex-wrap:wrap;padding:12px 16px}.nav .weeks{flex-wrap:wrap;gap:6px 12px}main{padding:0 12px 32px}th,td{padding:6px}.wide-only{display:none}.tickets .c-key{width:92px}.tickets .c-verdict{width:76px}.kpi dd{font-size:19px}}
@media print{body{background:#fff;font-size:12px}.nav .weeks a{display:none}.hero,figure,section.card{border-color:#ccc;break-inside:avoid-page}
.charts{grid-template-columns:1fr 1fr;grid-template-areas:'trend target' 'team target'}.fig-trend{grid-area:trend}.fig-target{grid-area:target}.fig-team{grid-area:team}a{color:inherit}main,footer,.nav{max-width:none}}
`;
