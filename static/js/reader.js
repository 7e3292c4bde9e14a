// Claimlens reader: turn a text selection into an annotation. Everything else is htmx.
//
// Offsets are counted in characters (code points) of the article's plain text, as the server
// counts them: each block carries data-start, where its text begins; a point's offset is
// data-start plus the length of the block's text before the point. The server checks the quote
// again (annotations.anchoring.locate) and refuses it if it is not there.
(function () {
  "use strict";

  var CONTEXT = 32; // characters of prefix/suffix, as annotations.anchoring.CONTEXT_CHARS
  var body = document.getElementById("article-body");
  var panel = document.getElementById("annotations");
  if (!body || !panel) return;
  document.body.classList.add("js-reader");

  var toolbar = document.getElementById("selection-toolbar");
  var shell = document.getElementById("composer-shell");
  var shortcuts = {};
  var shortcutData = document.getElementById("label-shortcuts");
  if (shortcutData) {
    JSON.parse(shortcutData.textContent).forEach(function (s) { shortcuts[s.key] = s.name; });
  }
  if (toolbar) document.body.appendChild(toolbar); // positioned against the page
  if (shell) document.body.appendChild(shell);

  var pending = null; // the selection as selectors, with where to show the toolbar
  var pointer = "mouse";
  var pointerDown = false;

  // --- offsets -------------------------------------------------------------------------------

  function length(text) {
    var n = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) i++; // a surrogate pair is one
      n++;
    }
    return n;
  }

  function blocks() {
    return Array.prototype.slice.call(body.querySelectorAll("[data-start]"));
  }

  var plainCache = null;
  function plain() {
    // The canonical text as code points: blocks joined by a blank line, as on the server.
    if (!plainCache) {
      plainCache = Array.from(blocks().map(function (b) { return b.textContent; }).join("\n\n"));
    }
    return plainCache;
  }

  // Offset of a DOM point inside block: data-start + length of the text before it.
  function offsetIn(block, node, offset) {
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    var before = 0;
    var point = document.createRange();
    point.setStart(node, offset);
    for (var text = walker.nextNode(); text; text = walker.nextNode()) {
      if (text === node) return +block.dataset.start + before + length(text.data.slice(0, offset));
      // A text node entirely before the point counts whole; the first one after it ends the walk.
      if (point.comparePoint(text, text.data.length) <= 0) before += length(text.data);
      else break;
    }
    return +block.dataset.start + before;
  }

  function selectorsFor(range) {
    var inside = blocks().filter(function (b) { return range.intersectsNode(b); });
    if (!inside.length) return null;
    var first = inside[0];
    var last = inside[inside.length - 1];
    var start = first.contains(range.startContainer)
      ? offsetIn(first, range.startContainer, range.startOffset)
      : +first.dataset.start;
    var end = last.contains(range.endContainer)
      ? offsetIn(last, range.endContainer, range.endOffset)
      : +last.dataset.start + length(last.textContent);
    var text = plain();
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (end <= start) return null;
    return {
      exact: text.slice(start, end).join(""),
      prefix: text.slice(Math.max(0, start - CONTEXT), start).join(""),
      suffix: text.slice(end, end + CONTEXT).join(""),
      start: start,
      end: end,
    };
  }

  // --- the toolbar ---------------------------------------------------------------------------

  function place(element, rect, below) {
    element.hidden = false;
    var width = element.offsetWidth;
    var left = rect.left + rect.width / 2 - width / 2 + window.scrollX;
    left = Math.max(8 + window.scrollX, Math.min(left, window.scrollX + document.documentElement.clientWidth - width - 8));
    var top = below ? rect.bottom + window.scrollY + 12 : rect.top + window.scrollY - element.offsetHeight - 10;
    if (!below && top < window.scrollY + 4) top = rect.bottom + window.scrollY + 12;
    element.style.left = left + "px";
    element.style.top = top + "px";
  }

  function hideToolbar() {
    if (toolbar) toolbar.hidden = true;
  }

  function readSelection() {
    if (!toolbar) return;
    if (shell && shell.contains(document.activeElement)) {
      hideToolbar(); // typing in the composer: the selection it was opened for stays pending
      return;
    }
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) {
      if (!shell || !shell.classList.contains("is-open")) pending = null;
      hideToolbar();
      return;
    }
    var range = selection.getRangeAt(0);
    if (!body.contains(range.commonAncestorContainer) && !range.intersectsNode(body)) {
      hideToolbar();
      return;
    }
    var selectors = selectorsFor(range);
    if (!selectors) {
      hideToolbar();
      return;
    }
    pending = selectors;
    fillReattach(selectors);
    var rects = range.getClientRects();
    pending.rect = rects.length ? (pointer === "touch" ? rects[rects.length - 1] : rects[0]) : range.getBoundingClientRect();
    pending.whole = range.getBoundingClientRect();
    // On touch the system's own menu sits above the selection: go below it.
    place(toolbar, pointer === "touch" ? pending.whole : pending.rect, pointer === "touch");
  }

  var timer = null;
  function soon(delay) {
    clearTimeout(timer);
    timer = setTimeout(readSelection, delay);
  }

  document.addEventListener("pointerdown", function (event) {
    pointer = event.pointerType || "mouse";
    pointerDown = pointer === "mouse";
  });
  document.addEventListener("pointerup", function () {
    pointerDown = false;
    soon(10);
  });
  document.addEventListener("selectionchange", function () {
    // While the mouse is down the selection is still growing; pointerup reads it.
    if (!pointerDown) soon(pointer === "touch" ? 350 : 150);
  });

  // --- the composer --------------------------------------------------------------------------

  function composer() {
    return document.getElementById("composer");
  }

  function fill(form, selectors, tags) {
    ["exact", "prefix", "suffix", "start", "end"].forEach(function (name) {
      form.elements[name].value = selectors[name];
    });
    if (tags !== undefined) form.elements.tags.value = tags;
    var preview = form.querySelector("[data-quote-preview]");
    if (preview) {
      preview.textContent = selectors.exact.length > 200 ? selectors.exact.slice(0, 200) + "…" : selectors.exact;
      preview.hidden = false;
    }
  }

  function openComposer(focusName) {
    var form = composer();
    if (!form || !pending) return;
    fill(form, pending);
    shell.classList.add("is-open");
    var phone = window.matchMedia("(max-width: 640px)").matches;
    shell.classList.toggle("is-sheet", phone);
    if (phone) {
      shell.style.left = shell.style.top = "";
    } else {
      place(shell, pending.whole || pending.rect, true);
    }
    hideToolbar();
    var field = form.elements[focusName];
    if (field) field.focus({ preventScroll: phone });
  }

  function closeComposer() {
    if (!shell) return;
    shell.classList.remove("is-open", "is-sheet");
    setTimeout(releaseBody, 0);
    var form = composer();
    if (form) {
      form.reset();
      var preview = form.querySelector("[data-quote-preview]");
      if (preview) preview.hidden = true;
    }
  }

  function submitNow(tags) {
    var form = composer();
    if (!form || !pending) return;
    form.reset();
    fill(form, pending, tags || "");
    form.requestSubmit();
  }

  function act(action, tags) {
    if (!pending) return;
    if (action === "highlight") submitNow(tags);
    else if (action === "comment") openComposer("note");
    else if (action === "claim") openComposer("tags");
  }

  if (toolbar) {
    // Keep the selection when a button is pressed.
    toolbar.addEventListener("pointerdown", function (event) { event.preventDefault(); });
    toolbar.addEventListener("mousedown", function (event) { event.preventDefault(); });
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (button) act(button.dataset.action);
    });
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-composer-cancel]")) closeComposer();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      hideToolbar();
      closeComposer();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || !pending || !toolbar || toolbar.hidden) return;
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    var key = event.key.toLowerCase();
    var actions = { h: "highlight", c: "comment", k: "claim" };
    if (actions[key]) {
      event.preventDefault();
      act(actions[key]);
    } else if (shortcuts[key]) {
      event.preventDefault();
      act("highlight", shortcuts[key]);
    }
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = composer();
    if (event.detail.elt === form && event.detail.successful) {
      var selection = window.getSelection();
      if (selection) selection.removeAllRanges();
      pending = null;
      hideToolbar();
      closeComposer();
    }
  });

  // Saving says which cards the panel shows: the server then answers with the new card, to
  // go among them, and its repainted paragraphs instead of the whole panel.
  document.body.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt !== composer()) return;
    var cards = document.getElementById("reader-cards");
    if (!cards) return;
    var shown = cards.querySelectorAll("#annotation-list > li[data-annotation-id]:not([data-deleted])");
    event.detail.parameters.shown = Array.prototype.map.call(shown, function (card) {
      return card.dataset.annotationId;
    }).join(",");
  });

  document.body.addEventListener("annotation-saved", function (event) {
    // Side by side, the new card shows in the panel; on a phone the panel is below the
    // article, so stay at the passage and say so instead of scrolling away.
    if (window.matchMedia("(min-width: 901px)").matches) flashCard(event.detail.id, true);
    else say("Saved. Tap the highlight to see it.");
  });

  // --- highlights and cards ------------------------------------------------------------------

  function flash(element) {
    element.classList.remove("flash");
    void element.offsetWidth; // restart the animation
    element.classList.add("flash");
    setTimeout(function () { element.classList.remove("flash"); }, 1600);
  }

  function flashPassage(id, scroll) {
    var marks = body.querySelectorAll('mark[data-annotations~="' + id + '"]');
    if (scroll && marks.length) marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
    Array.prototype.forEach.call(marks, flash);
    return marks.length > 0;
  }

  function flashCard(id, scroll) {
    var card = document.getElementById("card-" + id);
    if (!card) return false;
    if (scroll) card.scrollIntoView({ block: "nearest", behavior: "smooth" });
    card.focus({ preventScroll: true });
    flash(card);
    return true;
  }

  function showCard(id) {
    if (flashCard(id, true)) return;
    // The card is on another page of the panel: fetch that page.
    var url = panel.dataset.panelUrl + "?around=" + encodeURIComponent(id);
    htmx.ajax("GET", url, { target: "#reader-cards", swap: "outerHTML" }).then(function () {
      flashCard(id, true);
    });
  }

  body.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-annotation-id]");
    var selection = window.getSelection();
    if (!mark || (selection && !selection.isCollapsed)) return;
    showCard(mark.dataset.annotationId);
  });

  document.addEventListener("click", function (event) {
    var card = event.target.closest(".card[data-annotation-id]");
    if (!card || event.target.closest("a, button, form, input, textarea, select, label")) return;
    flashPassage(card.dataset.annotationId, true);
  });

  function fromHash() {
    var match = /^#annotation-(\d+)$/.exec(window.location.hash);
    if (!match) return;
    // :target flashes the first run; the other runs and the card flash too.
    var found = flashPassage(match[1], false);
    if (!flashCard(match[1], !found) && !found) showCard(match[1]);
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();

  // A deleted card offers Undo for a while, then folds away.
  htmx.onLoad(function (element) {
    var cards = element.matches && element.matches("[data-deleted]") ? [element] : element.querySelectorAll ? element.querySelectorAll("[data-deleted]") : [];
    Array.prototype.forEach.call(cards, function (card) {
      setTimeout(function () {
        if (card.isConnected && card.matches("[data-deleted]")) card.remove();
      }, 20000);
    });
  });

  // --- re-attaching orphans ------------------------------------------------------------------

  // An orphan's form takes the passage selected in the article: its hidden selectors say where
  // the passage is, the visible field shows which one. Typing there instead drops the selectors,
  // so the server looks the typed words up.
  function fillReattach(selectors) {
    document.querySelectorAll("form[data-reattach]").forEach(function (form) {
      var field = form.elements.exact;
      if (field.value && !field.hasAttribute("data-from-selection")) return; // typed by hand
      ["exact", "prefix", "suffix", "start", "end"].forEach(function (name) {
        form.elements[name].value = selectors[name];
      });
      field.setAttribute("data-from-selection", "");
    });
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest("form[data-reattach]");
    if (!form || event.target.name !== "exact") return;
    event.target.removeAttribute("data-from-selection");
    ["prefix", "suffix", "start", "end"].forEach(function (name) { form.elements[name].value = ""; });
  });

  // --- live updates --------------------------------------------------------------------------

  // The poller (collab/includes/_live.html) fires claimlens:changed when someone changes this
  // article; #reader-cards then fetches itself again (hx-trigger). Here that refresh learns what
  // the reader is in the middle of: cards being edited stay as they are (the server sends
  // hx-preserve placeholders for them) and the body keeps a selection being made.
  var me = panel.dataset.user;
  var heldBody = false;

  function selecting() {
    var selection = window.getSelection();
    var inBody = selection && !selection.isCollapsed && selection.rangeCount &&
      body.contains(selection.getRangeAt(0).commonAncestorContainer);
    return Boolean(inBody || (shell && shell.classList.contains("is-open")));
  }

  function busyCards() {
    var cards = document.querySelectorAll(
      "#annotation-list > li.card-editing, #annotation-list > li:has(details[open]), " +
      "#annotation-list > li:has(:focus)"
    );
    return Array.prototype.map.call(cards, function (card) { return card.dataset.annotationId; })
      .filter(Boolean);
  }

  function onlyMine(detail) {
    return Boolean(me) && detail && detail.events && detail.events.length > 0 &&
      detail.events.every(function (e) { return String(e.actor_id) === me; });
  }

  var kept = null; // what a live refresh must not move: scroll positions and the focus

  // What makes #reader-cards fetch itself (its hx-trigger); paging and filtering are the
  // reader's own doing and may move things.
  var LIVE = ["claimlens:changed", "claimlens:repaint", "annotation:reattached"];

  document.body.addEventListener("htmx:configRequest", function (event) {
    var cause = event.detail.triggeringEvent;
    if (event.detail.elt.id !== "reader-cards" || !cause || LIVE.indexOf(cause.type) < 0) return;
    // This page already shows its own changes; only other people's need fetching.
    if (cause.type === "claimlens:changed" && onlyMine(cause.detail)) {
      event.preventDefault();
      return;
    }
    if (cause.type === "annotation:reattached") {
      // The selection was the passage to re-attach to: done with, so the body shows the result.
      var selection = window.getSelection();
      if (selection) selection.removeAllRanges();
      pending = null;
      hideToolbar();
    }
    var params = event.detail.parameters;
    var editing = busyCards();
    if (editing.length) params.editing = editing.join(",");
    heldBody = selecting();
    if (heldBody) params.paint = "0";
    var active = document.activeElement;
    kept = {
      editing: editing,
      painted: !heldBody,
      x: window.scrollX,
      y: window.scrollY,
      panel: panel.parentElement ? panel.parentElement.scrollTop : 0,
      focus: active && active.id && panel.contains(active) ? active : null,
      start: active && "selectionStart" in active ? active.selectionStart : null,
      end: active && "selectionEnd" in active ? active.selectionEnd : null,
    };
  });

  // The reader may have opened an editor or started a selection while the refresh was on its
  // way: then its answer would wipe them out. Drop it and ask again with what is open now.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (!kept || event.detail.elt.id !== "reader-cards") return;
    var opened = busyCards().some(function (id) { return kept.editing.indexOf(id) < 0; });
    if (opened || (kept.painted && selecting())) {
      event.detail.shouldSwap = false;
      kept = null;
      setTimeout(function () { htmx.trigger(document.body, "claimlens:repaint"); }, 0);
    }
  });

  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (!kept || event.detail.elt.id !== "reader-cards") return;
    var was = kept;
    kept = null;
    // The selection ended before this refresh, which held the body back, had settled: the
    // repaint asked for then found no panel listening (htmx wires new content up at settle).
    if (!was.painted && !heldBody) {
      setTimeout(function () { htmx.trigger(document.body, "claimlens:repaint"); }, 0);
    }
    if (panel.parentElement && panel.parentElement.scrollTop !== was.panel) {
      panel.parentElement.scrollTop = was.panel;
    }
    if (window.scrollX !== was.x || window.scrollY !== was.y) window.scrollTo(was.x, was.y);
    // Browsers without moveBefore() drop the focus of a preserved editor when it is moved.
    if (was.focus && was.focus.isConnected && document.activeElement !== was.focus) {
      was.focus.focus({ preventScroll: true });
      if (was.start !== null && was.focus.setSelectionRange) {
        try { was.focus.setSelectionRange(was.start, was.end); } catch (e) { /* not a text field */ }
      }
    }
  });

  // A body held back during a selection is painted once the selection is over.
  function releaseBody() {
    if (heldBody && !selecting()) {
      heldBody = false;
      htmx.trigger(document.body, "claimlens:repaint");
    }
  }
  document.addEventListener("selectionchange", releaseBody);

  // --- the card's "more" menu ----------------------------------------------------------------

  // One menu open at a time; a click elsewhere or Escape closes it (it is a <details>, so it
  // works without this).
  function closeMenus(except) {
    document.querySelectorAll("details.card-more[open]").forEach(function (menu) {
      if (menu !== except) menu.open = false;
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest("details.card-more"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeMenus(null);
  });

  // --- showing and hiding highlights ---------------------------------------------------------

  var toggle = panel.querySelector("[data-toggle-highlights]");
  function setHighlights(off) {
    document.body.classList.toggle("highlights-off", off);
    if (toggle) {
      toggle.setAttribute("aria-pressed", off ? "true" : "false");
      toggle.textContent = off ? "Show highlights" : "Hide highlights";
    }
    try { window.localStorage.setItem("claimlens-highlights-off", off ? "1" : ""); } catch (e) { /* private mode */ }
  }
  if (toggle) {
    var stored = "";
    try { stored = window.localStorage.getItem("claimlens-highlights-off") || ""; } catch (e) { /* private mode */ }
    setHighlights(stored === "1");
    toggle.addEventListener("click", function () {
      setHighlights(!document.body.classList.contains("highlights-off"));
    });
  }

  // --- errors --------------------------------------------------------------------------------

  var notice = document.createElement("div");
  notice.className = "reader-notice";
  notice.setAttribute("role", "status");
  notice.hidden = true;
  document.body.appendChild(notice);
  var noticeTimer = null;
  function say(text) {
    notice.textContent = text;
    notice.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () { notice.hidden = true; }, 4000);
  }
  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    say(status === 403
      ? "You are not allowed to do that."
      : status === 404 ? "That annotation is gone." : "Something went wrong (" + status + "). Try again.");
  });
})();
