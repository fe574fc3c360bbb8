import Hummingbird
import KPIContracts
import KPIRuntime

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

/// The menu: only what the user's rights allow.
func menu(_ session: SessionInfo?) -> String {
    guard let s = session else {
        return #"<a href="/units">\#(t("หน่วยงาน"))</a><a href="/signin">\#(t("เข้าสู่ระบบ"))</a><a href="/register">\#(t("ลงทะเบียน"))</a>"#
    }
    var items = [#"<a href="/year">\#(t("เลือกปี"))</a>"#, #"<a href="/units">\#(t("หน่วยงาน"))</a>"#, #"<a href="/password">\#(t("เปลี่ยนรหัสผ่าน"))</a>"#]
    if s.has(.administer) || s.has(.answerRequests) {
        items.append(#"<a href="/admin/password-requests" id="menu-password-requests">\#(t("คำขอรหัสผ่าน"))</a>"#)
    }
    if s.has(.administer) {
        items.append(#"<a href="/admin/users" id="menu-admin-users">\#(t("จัดการผู้ใช้"))</a>"#)
        items.append(#"<a href="/admin/units" id="menu-admin-units">\#(t("จัดการหน่วยงาน"))</a>"#)
    }
    items.append("""
        <form method="post" action="/signout" class="inline"><input type="hidden" name="csrf" value="\(esc(s.csrf))">\
        <button type="submit" class="link">\(t("ออกจากระบบ"))</button></form>
        """)
    return items.joined()
}

/// A link to the other language.
func languageSwitch() -> String {
    Language.current == .th ? #"<a href="/lang/en" lang="en" id="lang-switch">English</a>"#
        : #"<a href="/lang/th" lang="th" id="lang-switch">ภาษาไทย</a>"#
}

/// The page shell: Thai first, phone-width first, one small stylesheet.
func page(title: String, session: SessionInfo? = nil, status: HTTPResponse.Status = .ok, body: String) -> Response {
    let html = """
    <!doctype html>
    <html lang="\(Language.current.rawValue)">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(esc(t(title))) · KPI-Online</title>
    <link rel="stylesheet" href="/static/kpi.css">
    </head>
    <body>
    <header class="top"><a class="brand" href="/">KPI-Online</a>
    <nav>\(menu(session))\(languageSwitch())</nav></header>
    <main id="main">
    \(body)
    </main>
    <footer>\(t("ระบบรายงานตัวชี้วัด สำนักงานเขตพื้นที่การศึกษา"))</footer>
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
.note{padding:.7rem;border-radius:.3rem;background:#e8f1fb;margin:0 0 1rem}
.grid{display:grid;gap:0 1rem;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr))}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.facts dt{color:var(--muted)}
@media (max-width:480px){th.opt,td.opt{display:none}body{font-size:15px}}
"""
