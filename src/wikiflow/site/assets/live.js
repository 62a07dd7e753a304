// `wikiflow serve` only: asks the server once a second whether the page's file changed, and
// reloads the page when it did, so an edit shows without a click.
(function () {
  "use strict";
  var body = document.body, page = body.getAttribute("data-live-page");
  if (!page || !window.fetch) { return; }
  var stamp = body.getAttribute("data-live-stamp");
  function check() {
    window.fetch("/_stamp?page=" + encodeURIComponent(page), { cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : stamp; })
      .then(function (now) {
        if (now !== stamp) { window.location.reload(); } else { window.setTimeout(check, 1000); }
      }, function () { window.setTimeout(check, 1000); });
  }
  window.setTimeout(check, 1000);
})();
