/* Accord's room pages: live updates from the seat's event stream, and the package builder's
 * worth shown as a package is built. Plain JavaScript, no library. Every page works without it:
 * forms post and come back, and "Show what this package is worth" reloads the page with it. */
(function () {
  "use strict";
  var body = document.body;
  var room = body.getAttribute("data-room");
  var status = document.getElementById("live-status");

  function say(text) {
    if (status) { status.textContent = text; }
  }

  /* What the person has typed or chosen in a region and not sent yet, by field id: a live update
     must not wipe a half-written proposal or message. */
  function typed(region) {
    var kept = {};
    region.querySelectorAll("input, textarea, select").forEach(function (field) {
      if (!field.id || field.type === "hidden" || field.type === "submit") { return; }
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked !== field.defaultChecked) { kept[field.id] = { checked: field.checked }; }
      } else if (field.tagName === "SELECT") {
        var chosen = Array.prototype.some.call(field.options, function (option) {
          return option.selected !== option.defaultSelected;
        });
        if (chosen) { kept[field.id] = { value: field.value }; }
      } else if (field.value !== field.defaultValue) {
        kept[field.id] = { value: field.value };
      }
    });
    return kept;
  }

  function restore(kept) {
    Object.keys(kept).forEach(function (id) {
      var field = document.getElementById(id);
      if (!field) { return; }
      if ("checked" in kept[id]) { field.checked = kept[id].checked; return; }
      if (field.tagName === "SELECT" && !Array.prototype.some.call(field.options, function (option) {
        return option.value === kept[id].value;
      })) { return; }  /* that choice is no longer offered */
      field.value = kept[id].value;
    });
  }

  /* Replace each live region whose version changed, from a fresh copy of this page, keeping what the
     person was typing there. */
  function refresh(url) {
    return fetch(url || window.location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var changed = 0;
        fresh.querySelectorAll("[data-live]").forEach(function (region) {
          var name = region.getAttribute("data-live");
          var current = document.querySelector('[data-live="' + name + '"]');
          if (!current || current.getAttribute("data-version") === region.getAttribute("data-version")) { return; }
          var focused = current.contains(document.activeElement) ? document.activeElement.id : null;
          var kept = typed(current);
          current.replaceWith(document.importNode(region, true));
          restore(kept);
          changed += 1;
          if (focused) {
            var again = document.getElementById(focused);
            if (again) { again.focus(); }
          }
        });
        bindBuilders();
        if (changed) { say("The page was updated."); }
      })
      .catch(function () { /* the next event tries again */ });
  }

  var pending = null;
  function soon() {
    if (pending) { return; }
    pending = setTimeout(function () { pending = null; refresh(); }, 150);
  }

  if (room && window.EventSource) {
    var source = new EventSource("/api/v1/rooms/" + encodeURIComponent(room) + "/stream");
    source.onmessage = soon;
    ["event", "action", "message", "turn", "seat-handed", "preferences-disclosed", "preferences-set", "link-requested", "room-created", "text"].forEach(function (kind) {
      source.addEventListener(kind, soon);
    });
    source.onerror = function () { say("Connection lost; reconnecting…"); };
    source.onopen = function () { say(""); };
  }

  /* The package builder: show the worth of the package being built, as it is built. Answers can
     arrive out of order; only the answer to the latest request is shown, so the worth on screen is
     always that of the package as chosen now. */
  var latestPreview = 0;
  function preview(form) {
    var params = new URLSearchParams();
    form.querySelectorAll("[name^='issue-']").forEach(function (field) { params.set(field.name, field.value); });
    latestPreview += 1;
    var request = latestPreview;
    return fetch(window.location.pathname + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || request !== latestPreview) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-built]");
        var current = document.querySelector("[data-built]");
        if (fresh && current) { current.replaceWith(document.importNode(fresh, true)); }
      });
  }

  /* The desk's preferences form: the worth of the table under the draft preferences, as they are typed
     (nothing is saved until "Save our preferences"). */
  var latestDraft = 0;
  function previewPreferences(form) {
    var params = new URLSearchParams(new FormData(form));
    params.delete("form-key");
    params.set("preview", "preferences");
    latestDraft += 1;
    var request = latestDraft;
    return fetch(window.location.pathname + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || request !== latestDraft) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-preferences-preview]");
        var current = document.querySelector("[data-preferences-preview]");
        if (fresh && current) { current.replaceWith(document.importNode(fresh, true)); }
      });
  }

  function bindBuilders() {
    document.querySelectorAll("form[data-preferences]").forEach(function (form) {
      if (form.dataset.bound) { return; }
      form.dataset.bound = "yes";
      form.addEventListener("change", function () { previewPreferences(form); });
    });
    document.querySelectorAll("form").forEach(function (form) {
      if (form.dataset.bound || !form.querySelector("[data-builder]")) { return; }
      form.dataset.bound = "yes";
      form.addEventListener("change", function (event) {
        if (event.target && event.target.name && event.target.name.indexOf("issue-") === 0) { preview(form); }
      });
    });
  }
  bindBuilders();
})();
