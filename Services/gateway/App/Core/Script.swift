import Hummingbird

/// Serves the one script; cached for a day. Pages work without it: it only adds an upload's
/// progress (a school on a slow line sees how far a large file has come).
func script() -> Response {
    Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=86400"],
             body: .init(byteBuffer: ByteBuffer(string: js)))
}

/// A form marked `data-progress` is sent by XMLHttpRequest with a progress bar; the answer
/// replaces the page as a normal submit would (a redirect is followed to its page). A button
/// marked `data-print` (hidden without script) prints the page (the stylesheet's print rules).
///
/// B9: a page with `data-live` listens to the gateway's stream of figure changes; on a change it
/// fetches itself again (at most every 3 s) and swaps in the new `main`, unless the person is
/// typing or choosing in a form there (then after they leave it).
let js = """
function kpiBind(root) {
  root.querySelectorAll('[data-print]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  });
}
kpiBind(document);
(function () {
  var marker = document.querySelector('[data-live]');
  if (!marker || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var main = document.getElementById('main');
  var pending = false, busy = false, last = 0;
  function editing() {
    var a = document.activeElement;
    return a && main.contains(a) && /^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName);
  }
  function refresh() {
    if (busy) { pending = true; return; }
    if (editing()) { pending = true; return; }
    var wait = last + 3000 - Date.now();
    if (wait > 0) { pending = true; setTimeout(function () { if (pending) { pending = false; refresh(); } }, wait); return; }
    busy = true; pending = false; last = Date.now();
    fetch(window.location.href, { cache: 'no-cache', credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (html) {
      var next = new DOMParser().parseFromString(html, 'text/html').getElementById('main');
      if (next && !editing()) {
        main.innerHTML = next.innerHTML;
        kpiBind(main);
        var status = document.getElementById('live');
        if (status) {
          status.hidden = false;
          status.textContent = status.getAttribute('data-updated') + ' ' + new Date().toLocaleTimeString(document.documentElement.lang === 'en' ? 'en-GB' : 'th-TH');
        }
        document.documentElement.setAttribute('data-live-updated', String(Date.now()));
      }
    }).catch(function () {}).then(function () { busy = false; if (pending) refresh(); });
  }
  main.addEventListener('focusout', function () { if (pending) setTimeout(refresh, 0); });
  var source = new EventSource(marker.getAttribute('data-live'));
  source.addEventListener('figures', refresh);
  // A stream opened again (the gateway ended it, or the line dropped) may have missed a change.
  var opened = false;
  source.addEventListener('open', function () { if (opened) refresh(); opened = true; marker.hidden = false; });
})();
document.querySelectorAll('form[data-progress]').forEach(function (form) {
  form.addEventListener('submit', function (event) {
    var files = form.querySelectorAll('input[type=file]');
    var chosen = Array.prototype.some.call(files, function (f) { return f.files && f.files.length > 0; });
    var submitter = event.submitter;
    if (!chosen || !window.FormData || (submitter && submitter.hasAttribute('formaction'))) return;
    event.preventDefault();
    var bar = form.querySelector('progress');
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.onprogress = function (e) {
      if (bar && e.lengthComputable) { bar.hidden = false; bar.value = Math.round(100 * e.loaded / e.total); }
    };
    xhr.onload = function () {
      if (xhr.status < 400 && xhr.responseURL) { window.location.assign(xhr.responseURL); return; }
      document.open(); document.write(xhr.responseText); document.close();
    };
    xhr.onerror = function () { form.submit(); };
    xhr.send(new FormData(form));
  });
});
"""
