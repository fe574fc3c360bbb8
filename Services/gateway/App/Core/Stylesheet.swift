import Hummingbird

/// Serves the stylesheet; cached for a day.
func stylesheet() -> Response {
    Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=86400"],
             body: .init(byteBuffer: ByteBuffer(string: css)))
}

/// One small stylesheet, phone width first.
let css = """
:root{--ink:#1b2430;--muted:#5b6675;--line:#d8dee6;--brand:#0b5cab;--ok:#1e7d32}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 "Noto Sans Thai","Sarabun",system-ui,sans-serif;color:var(--ink);background:#f6f8fa}
.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.6rem 1rem;background:var(--brand)}
.top a{color:#fff;text-decoration:none}.brand{font-weight:700}
nav{display:flex;flex-wrap:wrap;gap:.3rem 1rem;flex:1 1 auto;min-width:0}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.2rem 0 1rem}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{padding:.45rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:var(--muted)}
.badge{display:inline-block;padding:0 .4rem;border-radius:.3rem;background:#e7f3e9;color:var(--ok);font-size:.85rem}.badge.warn{background:#fff4d6;color:#7a4b00}
footer{padding:1rem;text-align:center;color:var(--muted);font-size:.85rem}
form.inline{display:inline;margin:0}
button.link{background:none;border:0;color:#fff;font:inherit;cursor:pointer;padding:0}
.card{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:0 0 1rem}
label{display:block;margin:.6rem 0 .2rem;font-weight:600}
input[type=text],input[type=password],input[type=email],input[type=tel],select,textarea{width:100%;padding:.5rem;font:inherit;border:1px solid #9aa5b1;border-radius:.3rem}
input:focus,select:focus,button:focus,a:focus{outline:3px solid #f0b400;outline-offset:1px}
.btn{display:inline-block;padding:.5rem 1rem;border:0;border-radius:.3rem;background:var(--brand);color:#fff;font:inherit;cursor:pointer;text-decoration:none}
.btn.green{background:var(--ok)}.btn.red{background:#b3261e}
.err{color:#b3261e;font-size:.9rem}.alert{padding:.7rem;border-radius:.3rem;background:#fdecea;color:#8a1c14;margin:0 0 1rem}
.pager{display:flex;gap:1rem;justify-content:center;align-items:center;margin:1rem 0}
.queue{list-style:none;padding:0;margin:0}.queue li{margin:0 0 .8rem}
.note{padding:.7rem;border-radius:.3rem;background:#e8f1fb;margin:0 0 1rem}
.live{font-size:.85rem;color:#555;margin:.5rem 0}
.notices{list-style:none;padding:0}.notices>li.unread{border-left:4px solid #c77700}.notices .meta{margin:0 0 .3rem;color:#555;font-size:.9rem}
.grid{display:grid;gap:0 1rem;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr))}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.facts dt{color:var(--muted)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
table.matrix{width:auto;min-width:100%;font-size:.9rem}table.matrix th[scope=row]{position:sticky;left:0;background:#fff;min-width:9rem;max-width:14rem}
table.matrix td{min-width:8.5rem}.matrix .missing,.matrix .waiting{color:var(--muted)}.matrix .late,.late{color:#8a4b00;font-size:.85rem}
.band-0{background:#fde2e1}.band-1{background:#fff1d6}.band-2{background:#fdf9c4}.band-3{background:#e3f4d7}.band-4{background:#c9ebd0}
tr.behind th{background:#fff4d6}li.urgent a{color:#8a1c14;font-weight:600}svg.chart{display:block;max-width:40rem}nav.years{margin:0 0 1rem}nav.years a,nav.years strong{margin-right:.6rem}meter{width:6rem;vertical-align:middle}
.legend span[class^=band]{display:inline-block;width:1rem;border:1px solid var(--line)}
@media print{.top,footer,.pager,.no-print{display:none}main{max-width:none}.scroll{overflow:visible}}
@media (max-width:480px){th.opt,td.opt{display:none}body{font-size:15px}}
"""
