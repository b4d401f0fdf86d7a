/* Visit report form: a copy of the form in localStorage (keyed by the visit's uuid) so that a lost
   connection or a closed tab loses nothing, a restore prompt, offline status for the server autosave,
   and small conveniences (Enter does not submit the report, "変更" reopens the company search).
   The server copy is saved by HTMX (hx-post on the form); this file only adds the local copy. */
(function () {
  "use strict";
  var PREFIX = "kakehashi:visit:";
  var MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;

  function storage() {
    try { var s = window.localStorage; s.setItem(PREFIX + "probe", "1"); s.removeItem(PREFIX + "probe"); return s; }
    catch (e) { return null; }
  }
  var store = storage();

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function hhmm(ms) { var d = new Date(ms); return pad(d.getHours()) + ":" + pad(d.getMinutes()); }
  function mdhm(ms) { var d = new Date(ms); return (d.getMonth() + 1) + "/" + d.getDate() + " " + hhmm(ms); }

  function read(key) {
    if (!store) return null;
    try { return JSON.parse(store.getItem(key) || "null"); } catch (e) { return null; }
  }

  function onReady(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn); else fn();
  }

  onReady(function () {
    // A report the server has accepted: forget the local copy.
    document.querySelectorAll("[data-clear-local-draft]").forEach(function (el) {
      if (store) store.removeItem(PREFIX + el.getAttribute("data-clear-local-draft"));
    });
    listLocalDrafts();
    var form = document.getElementById("visit-form");
    if (form) setUpForm(form);
  });

  // The field home lists reports kept only on this device.
  function listLocalDrafts() {
    var box = document.getElementById("local-drafts");
    if (!box || !store) return;
    var list = box.querySelector("ul");
    var known = (box.getAttribute("data-server-uuids") || "").split(" ");
    var now = Date.now();
    var shown = 0;
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (!key || key.indexOf(PREFIX) !== 0) continue;
      var copy = read(key);
      if (!copy || !copy.savedAt || now - copy.savedAt > MAX_AGE_MS) continue;
      var uuid = key.slice(PREFIX.length);
      if (!/^[0-9a-f-]{36}$/.test(uuid) || known.indexOf(uuid) !== -1 || copy.synced) continue;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = box.getAttribute("data-edit-url").replace("00000000-0000-0000-0000-000000000000", uuid);
      var title = document.createElement("span");
      title.className = "visit-cards__title";
      title.textContent = copy.companyLabel || box.getAttribute("data-untitled");
      var meta = document.createElement("span");
      meta.className = "visit-cards__meta";
      meta.textContent = box.getAttribute("data-saved-label") + " " + mdhm(copy.savedAt);
      a.appendChild(title); a.appendChild(meta); li.appendChild(a); list.appendChild(li);
      shown++;
    }
    if (shown) box.hidden = false;
  }

  function serialise(form) {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "file" || el.name === "csrfmiddlewaretoken" || el.name === "company_q") return;
      if (el.type === "checkbox" || el.type === "radio") { if (el.checked) fields.push([el.name, el.value]); }
      else if (el.type !== "submit" && el.type !== "button") fields.push([el.name, (el.value || "").trim()]);
    });
    fields.sort(function (a, b) { return a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : (a[0] < b[0] ? -1 : 1); });
    return fields;
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function apply(form, fields) {
    var byName = {};
    fields.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.name === "csrfmiddlewaretoken" || el.name === "company_q") return;
      var values = byName[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") el.checked = values.indexOf(el.value) !== -1;
      else if (el.type !== "submit" && el.type !== "button") el.value = values.length ? values[0] : "";
    });
  }

  function companyLabel() {
    var picked = document.querySelector("[data-company-label]");
    return picked ? picked.getAttribute("data-company-label") : "";
  }

  function setUpForm(form) {
    var uuid = form.getAttribute("data-visit-uuid");
    var key = PREFIX + uuid;
    var status = document.getElementById("draft-status");
    var initial = serialise(form);
    var timer = null;

    function saveLocal(synced) {
      if (!store) return;
      var fields = serialise(form);
      try {
        store.setItem(key, JSON.stringify({ savedAt: Date.now(), fields: fields, companyLabel: companyLabel(), synced: !!synced }));
      } catch (e) { /* storage full: the server copy still works */ }
    }

    // Offer to restore a local copy the server does not have.
    var local = read(key);
    var prompt = document.getElementById("local-restore");
    if (local && local.fields && !local.synced && !same(local.fields, initial) && prompt) {
      prompt.hidden = false;
      // The browser may restore the scroll position of the reloaded page: bring the question into view.
      if ("scrollRestoration" in history) history.scrollRestoration = "manual";
      var show = function () { prompt.scrollIntoView({ block: "center" }); prompt.querySelector("[data-local-restore]").focus({ preventScroll: true }); };
      show();
      window.addEventListener("load", function () { setTimeout(show, 0); });
      var time = prompt.querySelector("[data-local-time]");
      if (time) time.textContent = "（" + mdhm(local.savedAt) + "）";
      prompt.querySelector("[data-local-restore]").addEventListener("click", function () {
        apply(form, local.fields);
        prompt.hidden = true;
        if (local.companyLabel && !document.querySelector("[data-company-label]")) {
          var note = document.createElement("p");
          note.className = "message";
          note.textContent = local.companyLabel;
          var section = document.getElementById("company-section");
          if (section) section.insertBefore(note, section.firstChild);
        }
        form.dispatchEvent(new Event("change", { bubbles: true }));
      });
      prompt.querySelector("[data-local-discard]").addEventListener("click", function () {
        store.removeItem(key);
        prompt.hidden = true;
      });
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(function () { saveLocal(false); }, 400);
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);

    // Tapping 提出する blurs the field being typed in, which would fire an autosave racing the submission:
    // from the first touch of a submit button the autosave stands down (the submission saves everything).
    var submitting = false;
    function standDown() { submitting = true; setTimeout(function () { submitting = false; }, 4000); }
    document.querySelectorAll('button[form="' + form.id + '"]').forEach(function (button) {
      button.addEventListener("pointerdown", standDown);
      button.addEventListener("keydown", function (event) { if (event.key === "Enter" || event.key === " ") standDown(); });
    });
    form.addEventListener("submit", function () { submitting = true; saveLocal(false); });
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      if (submitting && event.detail.elt === form) event.preventDefault();
    });

    // Enter in a one-line field must not submit the whole report (phones show "Go" on every field).
    form.addEventListener("keydown", function (event) {
      var t = event.target;
      if (event.key === "Enter" && t.tagName === "INPUT" && t.type !== "submit" && t.type !== "button") event.preventDefault();
    });

    // "変更": show the company search again.
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-company-change]");
      if (!button) return;
      var search = document.getElementById("company-search");
      if (search) { search.hidden = false; var input = search.querySelector("input[type=search]"); if (input) input.focus(); }
    });

    // Server autosave results: mark the local copy as synced, or say we kept it on the device.
    document.body.addEventListener("htmx:afterRequest", function (event) {
      var elt = event.detail.elt;
      if (elt === form && status) {
        if (event.detail.successful) {
          // Synced only when the server kept everything (no fields left pending).
          saveLocal(!status.querySelector("[data-pending]"));
        } else {
          saveLocal(false);
          status.textContent = status.getAttribute("data-offline") + " " + hhmm(Date.now());
          status.classList.add("visit-actions__status--error");
        }
      }
    });
    document.body.addEventListener("htmx:sendError", function (event) {
      if (event.detail.elt === form && status) {
        saveLocal(false);
        status.textContent = status.getAttribute("data-offline") + " " + hhmm(Date.now());
        status.classList.add("visit-actions__status--error");
      }
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target === status) status.classList.remove("visit-actions__status--error");
      // A company was picked or created: save it (server and device).
      var target = event.detail.target;
      if (target && (target.id === "company-section" || target.id === "new-company")) {
        var section = document.getElementById("company-section");
        if (section && section.querySelector("[data-company-label]")) form.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });

    // Move focus to the error summary after a refused submission.
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }
})();
