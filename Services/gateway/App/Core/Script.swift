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
let js = """
document.querySelectorAll('[data-print]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () { window.print(); });
});
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
