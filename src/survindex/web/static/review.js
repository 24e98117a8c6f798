// survindex case review: keyboard and in-place updates over plain forms (they work without this script).
(function () {
  "use strict";
  var queue = document.querySelector(".queue");
  var statusBox = document.getElementById("status");
  var undoStack = [];
  var current = -1;

  function cases() { return Array.prototype.slice.call(document.querySelectorAll("article.case")); }
  function say(text) { if (statusBox) { statusBox.textContent = text; } }
  function csrf() { var el = document.querySelector("input[name=csrf]"); return el ? el.value : ""; }

  function focusCase(i, scroll) {
    var list = cases();
    if (!list.length) { return; }
    i = Math.max(0, Math.min(list.length - 1, i));
    list.forEach(function (a) { a.classList.remove("current"); });
    current = i;
    list[i].classList.add("current");
    list[i].focus({ preventScroll: true });
    if (scroll !== false) { list[i].scrollIntoView({ block: "nearest" }); }
  }
  function focusId(id) {
    var list = cases();
    for (var i = 0; i < list.length; i++) { if (list[i].id === id) { focusCase(i); return true; } }
    return false;
  }
  function currentCase() { var list = cases(); return list[current] || null; }

  function post(url, body) {
    return fetch(url, { method: "POST", body: body, credentials: "same-origin",
                        headers: { "Accept": "application/json", "X-CSRF-Token": csrf() } })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); });
  }

  function setToken(article, token) {
    if (!article || !token) { return; }
    article.setAttribute("data-token", token);
    article.querySelectorAll("input[name=token]").forEach(function (i) { i.value = token; });
    var pick = article.querySelector("input[name=cases]");
    if (pick) { pick.value = article.id + "~" + token; }
  }
  function mark(article, status) {
    if (!article) { return; }
    article.classList.remove("accepted", "rejected", "unreviewed");
    article.classList.add(status, "done");
    var label = article.querySelector(".status");
    if (label) { label.textContent = status; }
  }

  function refresh(focus) {
    // Reload the queue's cases in place (after split, merge, undo): the page does not jump.
    return fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector(".queue");
        if (fresh && queue) { queue.innerHTML = fresh.innerHTML; }
        if (!focus || !focusId(focus)) { focusCase(current); }
      });
  }

  function afterReview(form, article, data) {
    var action = form.getAttribute("data-action");
    mark(article, action === "reject" ? "rejected" : "accepted");
    setToken(article, data.token);
    undoStack.push({ ids: [data.undo], caseId: article ? article.id : null });
    say((action === "reject" ? "Rejected" : action === "correct" ? "Corrected" : "Accepted") + " — press u to undo");
    var box = form.closest("details"); if (box) { box.open = false; }
    var list = cases();
    focusCase(list.indexOf(article) + 1);
  }

  function submit(form, submitter) {
    var action = form.getAttribute("data-action") || (form.classList.contains("bulk") ? "bulk" : "");
    var body = new FormData(form);
    if (submitter && submitter.name) { body.set(submitter.name, submitter.value); }
    var article = form.closest("article");
    if (article && /^(reject|correct)$/.test(action)) {  // ticked claims: reject or correct only those
      article.querySelectorAll("input[name=claims]:checked").forEach(function (c) { body.append("claims", c.value); });
    }
    if (form.classList.contains("bulk")) {
      cases().forEach(function (a) {
        var pick = a.querySelector("input[name=cases]");
        if (pick && pick.checked && !body.getAll("cases").includes(pick.value)) { body.append("cases", pick.value); }
      });
    }
    post(form.getAttribute("action"), body).then(function (res) {
      if (!res.ok) { say("Not saved: " + (res.data.error || "error") + (res.data.status === 409 ? " (reload the page)" : "")); return; }
      var d = res.data;
      if (action === "bulk") {
        d.cases.forEach(function (c) { var a = document.getElementById(c["case"]); mark(a, "accepted"); setToken(a, c.token);
                                       var p = a && a.querySelector("input[name=cases]"); if (p) { p.checked = false; } });
        undoStack.push({ ids: d.undo_all, caseId: null });
        say("Accepted " + d.cases.length + " cases — press u to undo");
      } else if (action === "split" || action === "merge") {
        say(action === "split" ? "Claim split out into " + d.new_case : "Merged into " + d["case"]);
        refresh(d["case"]);
      } else if (form.classList.contains("undo")) {
        say("Undone"); refresh(null);
      } else {
        afterReview(form, article, d);
      }
    }).catch(function () { say("Network error: nothing was saved"); });
  }

  function undo() {
    var last = undoStack.pop();
    var body = new FormData();
    body.set("csrf", csrf());
    if (!last) {
      var form = document.getElementById("undo-form");
      if (form) { submit(form, null); } else { say("Nothing to undo"); }
      return;
    }
    body.set("more", last.ids.slice(1).join(","));
    post("/review/undo/" + last.ids[0], body).then(function (res) {
      if (!res.ok) { say("Not undone: " + (res.data.error || "error")); return; }
      say("Undone");
      refresh(last.caseId);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.closest || !(form.closest("article") || form.closest(".queue-bar"))) { return; }
    if (!form.matches("form[data-action], form.bulk, form.undo")) { return; }
    if (!queue && /^(split|merge)$/.test(form.getAttribute("data-action") || "")) { return; }
    event.preventDefault();
    submit(form, event.submitter);
  });

  function typing(el) { return el && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) && el.type !== "checkbox"; }

  document.addEventListener("keydown", function (event) {
    var help = document.getElementById("help");
    if (event.key === "Escape") {
      if (help) { help.hidden = true; }
      if (typing(document.activeElement)) { var a = currentCase(); if (a) { a.focus({ preventScroll: true }); } }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(document.activeElement)) { return; }
    var article = currentCase();
    var handled = true;
    switch (event.key) {
      case "j": focusCase(current + 1); break;
      case "k": focusCase(current - 1); break;
      case "a": if (article) { var f = article.querySelector("form[data-action=accept]"); submit(f, f.querySelector("button")); } break;
      case "r": if (article) { article.querySelector(".reject-form input[name=reason]").focus(); } break;
      case "e": if (article) { var box = article.querySelector("details.correct-box"); box.open = true; box.querySelector("input, select").focus(); } break;
      case "x": if (article) { var p = article.querySelector("input[name=cases]"); if (p) { p.checked = !p.checked; } } break;
      case "u": undo(); break;
      case "?": if (help) { help.hidden = !help.hidden; } break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });

  if (queue) {
    var id = window.location.hash.slice(1);
    if (!(id && focusId(id))) { focusCase(0, false); }
  }
}());
