import Hummingbird

/// Escapes text for HTML element content and attribute values.
func esc(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}

/// The page shell: Thai first, phone-width first, one small stylesheet.
func page(title: String, body: String, status: HTTPResponse.Status = .ok) -> Response {
    let html = """
    <!doctype html>
    <html lang="th">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(esc(title)) · KPI-Online</title>
    <link rel="stylesheet" href="/static/kpi.css">
    </head>
    <body>
    <header class="top"><a class="brand" href="/">KPI-Online</a>
    <nav><a href="/units">หน่วยงาน</a></nav></header>
    <main id="main">
    \(body)
    </main>
    <footer>ระบบรายงานตัวชี้วัด สำนักงานเขตพื้นที่การศึกษา</footer>
    </body>
    </html>
    """
    return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: html)))
}

/// Serves the stylesheet; cached for a day.
func stylesheet() -> Response {
    Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=86400"],
             body: .init(byteBuffer: ByteBuffer(string: css)))
}

let css = """
:root{--ink:#1b2430;--muted:#5b6675;--line:#d8dee6;--brand:#0b5cab;--ok:#1e7d32}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 "Noto Sans Thai","Sarabun",system-ui,sans-serif;color:var(--ink);background:#f6f8fa}
.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.6rem 1rem;background:var(--brand)}
.top a{color:#fff;text-decoration:none}.brand{font-weight:700}
nav{display:flex;gap:1rem}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.2rem 0 1rem}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{padding:.45rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:var(--muted)}
.badge{display:inline-block;padding:0 .4rem;border-radius:.3rem;background:#e7f3e9;color:var(--ok);font-size:.85rem}
footer{padding:1rem;text-align:center;color:var(--muted);font-size:.85rem}
@media (max-width:480px){th.opt,td.opt{display:none}body{font-size:15px}}
"""
