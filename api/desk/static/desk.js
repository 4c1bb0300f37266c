// rightsdesk desk: small enhancements over pages that work without script.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  // Times: shown in the viewer's time zone; UTC stays on hover (title).
  function localTimes(root) {
    var format = new Intl.DateTimeFormat(undefined, {
      year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    });
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (!isNaN(when)) { el.textContent = format.format(when); }
    });
  }

  // The error summary takes focus so a screen reader announces it.
  function focusErrors() {
    var summary = document.querySelector("[data-focus]");
    if (summary) { summary.focus(); }
  }

  // Copy buttons.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) { return; }
    var text = document.getElementById(button.getAttribute("data-copy")).textContent.trim();
    navigator.clipboard.writeText(text).then(function () {
      button.textContent = "Copied ✓";
      setTimeout(function () { button.textContent = "Copy"; }, 1800);
    }, function () { button.textContent = "Select and copy"; });
  });

  // Arrow keys move between pictures in the grid.
  document.addEventListener("keydown", function (event) {
    if (!event.target.matches || !event.target.matches(".grid .thumb")) { return; }
    var links = Array.prototype.slice.call(document.querySelectorAll(".grid .thumb"));
    var index = links.indexOf(event.target);
    var perRow = Math.max(1, Math.round(document.querySelector(".grid").clientWidth / event.target.clientWidth));
    var step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: perRow, ArrowUp: -perRow }[event.key];
    if (step && links[index + step]) { event.preventDefault(); links[index + step].focus(); }
  });

  // "More pictures" appends the next page in place (the link works without script too).
  document.addEventListener("click", function (event) {
    var more = event.target.closest("[data-more]");
    if (!more) { return; }
    event.preventDefault();
    more.textContent = "Loading…";
    fetch(more.href, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
      var next = new DOMParser().parseFromString(html, "text/html");
      var grid = document.querySelector("[data-grid]");
      var first = null;
      next.querySelectorAll("[data-grid] > li").forEach(function (li) {
        var node = document.importNode(li, true);
        grid.appendChild(node);
        first = first || node;
      });
      localTimes(grid);
      var nextMore = next.querySelector("[data-more]");
      if (nextMore) { more.href = nextMore.href; more.textContent = "More pictures"; } else { more.parentNode.remove(); }
      if (first) { first.querySelector("a").focus(); }
    }, function () { more.textContent = "Could not load more; try again"; });
  });

  // Upload: each file on its own request, with a progress bar and its result in place.
  function setUpUpload(form) {
    var input = form.querySelector("input[type=file]");
    var zone = form.querySelector("[data-dropzone]");
    var list = document.querySelector("[data-upload-results]");
    function send(file) {
      var item = document.createElement("li");
      item.className = "upload-result";
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = file.name;
      var bar = document.createElement("progress");
      bar.max = 100; bar.value = 0;
      bar.setAttribute("aria-label", "Uploading " + file.name);
      item.appendChild(name); item.appendChild(bar);
      list.insertBefore(item, list.firstChild);
      var data = new FormData();
      data.append("csrf_token", csrf);
      data.append("files", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action"));
      xhr.setRequestHeader("X-Desk-Partial", "1");
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) { bar.value = 100 * e.loaded / e.total; } };
      xhr.onload = function () {
        var box = document.createElement("ul");
        box.innerHTML = xhr.responseText;
        var row = box.querySelector("li");
        if (xhr.status < 400 && row) { item.replaceWith(row); localTimes(row); return; }
        var detail = null;
        try { detail = { textContent: JSON.parse(xhr.responseText).detail }; } catch (e) {
          detail = new DOMParser().parseFromString(xhr.responseText, "text/html").querySelector(".lead");
        }
        item.className = "upload-result rejected";
        bar.remove();
        var why = document.createElement("span");
        why.className = "detail";
        why.textContent = detail ? detail.textContent : "The upload failed (HTTP " + xhr.status + ").";
        item.appendChild(why);
      };
      xhr.onerror = function () { item.appendChild(document.createTextNode(" — the connection failed; try again")); };
      xhr.send(data);
    }
    function sendAll(files) { Array.prototype.forEach.call(files, send); input.value = ""; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (input.files.length) { sendAll(input.files); }
    });
    input.addEventListener("change", function () { if (input.files.length) { sendAll(input.files); } });
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) { e.preventDefault(); sendAll(e.dataTransfer.files); });
  }

  // Caption edit: the new reading, live, before saving.
  function setUpCaption(form) {
    var input = form.querySelector("[data-caption-input]");
    var target = form.querySelector("[data-caption-preview]");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var data = new URLSearchParams();
        data.append("csrf_token", csrf);
        data.append("caption", input.value);
        data.append("action", "preview");
        fetch(form.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin", headers: { "X-Desk-Partial": "1" } })
          .then(function (r) { return r.ok ? r.text() : Promise.reject(r); })
          .then(function (html) { target.innerHTML = html; });
      }, 350);
    });
  }

  // Panels whose content is read on demand (a file's embedded blocks).
  document.addEventListener("toggle", function (event) {
    var panel = event.target;
    if (!panel.matches || !panel.matches("details[data-lazy]") || !panel.open || panel.dataset.loaded) { return; }
    panel.dataset.loaded = "1";
    var target = panel.querySelector("[data-lazy-target]");
    fetch(panel.getAttribute("data-lazy"), { credentials: "same-origin", headers: { "X-Desk-Partial": "1" } })
      .then(function (r) { return r.text(); })
      .then(function (html) { target.innerHTML = html; });
  }, true);

  // The session cookie is SameSite=Strict, so a link from another site or a mail program
  // arrives without it and lands here even when the person is signed in. One navigation
  // from this page (same-site) brings the cookie along; the flag stops a second try.
  function retrySameSite(form) {
    var flag = "rightsdesk-same-site-retry";
    var fromHere = document.referrer && new URL(document.referrer).origin === location.origin;
    if (fromHere || sessionStorage.getItem(flag)) { sessionStorage.removeItem(flag); return; }
    sessionStorage.setItem(flag, "1");
    // only ever a page of this site, whatever the link carried
    var target = new URL(form.querySelector("input[name=next]").value || "/", location.href);
    location.replace(target.origin === location.origin ? target.href : "/");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var signIn = document.querySelector("[data-sign-in]");
    if (signIn && !document.querySelector(".error-summary")) { retrySameSite(signIn); }
    localTimes(document);
    focusErrors();
    // On a phone the filters start folded, so the pictures come first.
    var filters = document.querySelector(".filters details");
    if (filters && window.matchMedia("(max-width: 760px)").matches) { filters.open = false; }
    var upload = document.querySelector("[data-upload]");
    if (upload) { setUpUpload(upload); }
    var caption = document.querySelector("[data-caption-form]");
    if (caption) { setUpCaption(caption); }
  });
})();
