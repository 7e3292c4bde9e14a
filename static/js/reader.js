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

  // The revision of the text the body shows: the server swaps this marker in with every
  // repainted body, so it changes exactly when the text does.
  function revisionShown() {
    var marker = document.getElementById("article-revision");
    return marker ? marker.dataset.revision : "";
  }

  var plainCache = null;
  var plainRevision = null;
  function plain() {
    // The canonical text as code points: blocks joined by a blank line, as on the server.
    // Kept until the body shows another revision (a repaint of the same text keeps it).
    if (!plainCache || plainRevision !== revisionShown()) {
      plainCache = Array.from(blocks().map(function (b) { return b.textContent; }).join("\n\n"));
      plainRevision = revisionShown();
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
    pending.revision = revisionShown(); // the text these offsets were counted on
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

  function phone() {
    return window.matchMedia("(max-width: 640px)").matches;
  }

  // Move a box placed under the selection up until its foot (the Save button) is in the
  // window, never above the window's top: the box scrolls inside itself (reader.css).
  function fitInView(element) {
    var rect = element.getBoundingClientRect();
    var room = document.documentElement.clientHeight - 8;
    if (rect.bottom > room) {
      var lift = Math.min(rect.bottom - room, rect.top - 8);
      if (lift > 0) element.style.top = parseFloat(element.style.top) - lift + "px";
    }
  }

  // The claim form: Claim opens it with the passage as the statement, to shorten.
  function claimSection(form, open) {
    var section = form.querySelector("[data-claim-section]");
    if (!section) return false;
    section.open = open;
    var title = form.elements.claim_title;
    if (open && title && !title.value && pending) title.value = pending.exact.slice(0, 200);
    return true;
  }

  function openComposer(focusName, claimMode) {
    var form = composer();
    if (!form || !pending) return;
    fill(form, pending);
    if (!claimSection(form, Boolean(claimMode)) && claimMode) focusName = "tags";
    shell.classList.add("is-open");
    var sheet = phone();
    shell.classList.toggle("is-sheet", sheet);
    if (sheet) {
      shell.style.left = shell.style.top = "";
    } else {
      place(shell, pending.whole || pending.rect, true);
      fitInView(shell);
    }
    hideToolbar();
    var field = form.elements[focusName];
    if (field) field.focus({ preventScroll: true });
    // The statement starts as the passage, selected: typing replaces it, arrows edit it.
    if (field && claimMode && field.select) field.select();
  }

  function closeComposer() {
    if (!shell) return;
    var wasOpen = shell.classList.contains("is-open");
    shell.classList.remove("is-open", "is-sheet");
    setTimeout(releaseBody, 0);
    var form = composer();
    if (form) {
      claimSection(form, false);
      form.reset();
      var preview = form.querySelector("[data-quote-preview]");
      if (preview) preview.hidden = true;
    }
    if (wasOpen && keyboard.from && keyboard.from.isConnected) keyboard.from.focus();
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
    else if (action === "claim") openComposer("claim_title", true);
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
      closeSheet();
      return;
    }
    if (keyboard.on) return; // the passage picker has the keys (below)
    var typing = event.target.closest &&
      event.target.closest("input, textarea, select, summary, [contenteditable], #composer-shell");
    if (event.key === "s" && !event.ctrlKey && !event.metaKey && !event.altKey && !typing) {
      event.preventDefault();
      startKeyboard();
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

  // A refused save comes back as the composer with its errors (422, swapped in its place).
  // A highlight is saved without opening the composer: open it now, at the selection, so the
  // reason is seen, and say it too.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.id === "composer" && event.detail.xhr && event.detail.xhr.status === 422) {
      showRefusal();
    }
  });

  function showRefusal() {
    var form = composer();
    if (!form || !shell) return;
    var errors = form.querySelector(".form-errors");
    if (!shell.classList.contains("is-open")) {
      shell.classList.add("is-open");
      var anchor = pending && (pending.whole || pending.rect);
      if (anchor) place(shell, anchor, true);
    }
    if (errors) {
      errors.setAttribute("tabindex", "-1");
      say(errors.textContent.trim(), 10000);
    }
  }

  // Saving says which cards the panel shows: the server then answers with the new card, to
  // go among them, and its repainted paragraphs instead of the whole panel. It also says which
  // revision the selection was made on: if the article has changed since, the server carries
  // the selection onto the new text (or says why it cannot).
  document.body.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt !== composer()) return;
    var revision = (pending && pending.revision) || revisionShown();
    if (revision && event.detail.parameters.exact) event.detail.parameters.revision = revision;
    // A body still showing the earlier text (held back during the selection) cannot take the
    // new text's paragraphs one by one: without `shown`, the whole panel and body come back.
    if (behind()) return;
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

  // The marks of an annotation's passage. A mark names only the innermost annotation it is
  // under (listing them all made pages of megabytes), so the others are found by where the
  // passage is, which its card says (data-from, data-to); without its card, its first run.
  function runsOf(id) {
    var first = document.getElementById("annotation-" + id);
    if (!first || !body.contains(first)) return [];
    while (first && first.tagName !== "MARK") first = first.nextElementSibling; // an anchor
    var card = document.getElementById("card-" + id);
    if (!card || !card.dataset.to) return first ? [first] : [];
    var from = +card.dataset.from, to = +card.dataset.to;
    var runs = [];
    blocks().forEach(function (block) {
      var offset = +block.dataset.start;
      if (offset >= to) return;
      var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      for (var text = walker.nextNode(); text && offset < to; text = walker.nextNode()) {
        var size = length(text.data);
        var mark = text.parentNode;
        if (offset >= from && offset + size <= to && mark.tagName === "MARK" &&
            mark.hasAttribute("data-annotation-id") && runs[runs.length - 1] !== mark) {
          runs.push(mark);
        }
        offset += size;
      }
    });
    return runs;
  }

  function flashPassage(id, scroll) {
    var marks = runsOf(id);
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

  // On a phone the panel is far below the text: the card rises as a sheet where you are.
  var sheetCard = null;
  function openSheet(id) {
    closeSheet();
    var card = document.getElementById("card-" + id);
    if (!card) return false;
    card.classList.add("is-sheet");
    document.body.classList.add("has-sheet");
    sheetCard = card;
    card.focus({ preventScroll: true });
    return true;
  }

  function closeSheet() {
    if (!sheetCard) return;
    var id = sheetCard.dataset.annotationId;
    sheetCard.classList.remove("is-sheet");
    document.body.classList.remove("has-sheet");
    sheetCard = null;
    var mark = body.querySelector("#annotation-" + id);
    if (mark && mark.tabIndex === 0) mark.focus({ preventScroll: true });
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-card-close]")) closeSheet();
  });

  function showCard(id) {
    var show = phone() ? openSheet : function (pk) { return flashCard(pk, true); };
    if (show(id)) return;
    // The card is on another page of the panel: fetch that page.
    var url = panel.dataset.panelUrl + "?around=" + encodeURIComponent(id);
    htmx.ajax("GET", url, { target: "#reader-cards", swap: "outerHTML" }).then(function () {
      show(id);
    });
  }

  // Highlights are reached with Tab and read out as what they are; Enter opens the card.
  var KINDS = { "hl-tag-": "Tagged passage", "hl-plain": "Highlight" };
  function describe(mark, text) {
    var status = /(?:^| )hl-status-([\w-]+)/.exec(mark.className);
    var kind = status ? "Claim, " + status[1].replace(/-/g, " ") : "Highlight";
    if (!status && / hl-tag-|^hl-tag-/.test(mark.className)) kind = KINDS["hl-tag-"];
    if (/hl-private/.test(mark.className)) kind += ", only you";
    if (text.length > 120) text = text.slice(0, 120) + "…";
    return kind + ": " + text + ". Press Enter for its card.";
  }

  // One pass over the marks, whatever their number: the text each annotation shows where it
  // is the innermost (asking the body again for each mark took seconds on a busy page).
  function dressMarks() {
    var marks = body.querySelectorAll("mark[data-annotation-id]");
    var texts = {};
    var firsts = [];
    Array.prototype.forEach.call(marks, function (mark) {
      var id = mark.dataset.annotationId;
      var text = texts[id] || "";
      if (text.length <= 120) texts[id] = text + mark.textContent;
      if (mark.id.indexOf("annotation-") === 0 && mark.getAttribute("tabindex") !== "0") {
        firsts.push(mark);
      }
    });
    firsts.forEach(function (mark) {
      // What Enter opens: the innermost annotation's card.
      mark.tabIndex = 0;
      mark.setAttribute("role", "button");
      mark.setAttribute("aria-label", describe(mark, texts[mark.dataset.annotationId]));
    });
  }
  dressMarks();
  document.body.addEventListener("htmx:afterSettle", dressMarks);

  body.addEventListener("keydown", function (event) {
    var mark = event.target.closest && event.target.closest("mark[data-annotation-id]");
    if (!mark || keyboard.on || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    showCard(mark.dataset.annotationId);
  });

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

  // --- choosing a passage with the keyboard --------------------------------------------------

  // "s" (or the panel's button) starts it: the first sentence in view is selected; arrows move
  // by sentence, Shift+arrows make it longer or shorter, Enter hands it to the toolbar (whose
  // buttons then have the focus), Escape leaves. Caret browsing (F7) works too: the toolbar
  // follows any selection in the text.
  var keyboard = { on: false, block: 0, first: 0, last: 0, from: null };

  function sentences(block) {
    var text = block.textContent, found = [], pattern = /[^.!?…]+(?:[.!?…]+["'”’)\]]*|$)\s*/g, m;
    while ((m = pattern.exec(text)) && m[0]) found.push([m.index, m.index + m[0].replace(/\s+$/, "").length]);
    return found.filter(function (s) { return s[1] > s[0]; });
  }

  function pointAt(block, offset) {
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT), seen = 0, last = null;
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (seen + node.data.length >= offset) return [node, offset - seen];
      seen += node.data.length;
      last = node;
    }
    return last ? [last, last.data.length] : [block, 0];
  }

  function selectSentences() {
    var list = blocks(), block = list[keyboard.block], parts = sentences(block);
    if (!parts.length) return;
    keyboard.last = Math.min(keyboard.last, parts.length - 1);
    keyboard.first = Math.min(keyboard.first, keyboard.last);
    var range = document.createRange();
    range.setStart.apply(range, pointAt(block, parts[keyboard.first][0]));
    range.setEnd.apply(range, pointAt(block, parts[keyboard.last][1]));
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var rect = range.getBoundingClientRect();
    if (rect.top < 0 || rect.bottom > window.innerHeight) {
      window.scrollBy({ top: rect.top - window.innerHeight / 3 });
    }
    say("Selected: " + range.toString().slice(0, 160), 6000);
  }

  function startKeyboard() {
    var list = blocks();
    if (!list.length || !toolbar) return;
    keyboard.from = document.activeElement;
    keyboard.on = true;
    var index = list.findIndex(function (b) { return b.getBoundingClientRect().bottom > 0; });
    keyboard.block = Math.max(0, index);
    keyboard.first = keyboard.last = 0;
    body.classList.add("is-picking");
    body.setAttribute("tabindex", "-1");
    body.focus({ preventScroll: true });
    say("Choosing a passage: arrows move by sentence, Shift and arrows make it longer, Enter to annotate, Escape to stop.", 8000);
    setTimeout(selectSentences, 0);
  }

  function stopKeyboard() {
    keyboard.on = false;
    body.classList.remove("is-picking");
  }

  function moveSentence(step) {
    var list = blocks(), next = keyboard.last + step;
    if (next >= sentences(list[keyboard.block]).length) {
      if (keyboard.block >= list.length - 1) return;
      keyboard.block++;
      next = 0;
    } else if (next < 0) {
      if (keyboard.block === 0) return;
      keyboard.block--;
      next = sentences(list[keyboard.block]).length - 1;
    }
    keyboard.first = keyboard.last = Math.max(0, next);
    selectSentences();
  }

  document.addEventListener("keydown", function (event) {
    if (!keyboard.on) return;
    var key = event.key;
    if (key === "Escape") {
      stopKeyboard();
      var selection = window.getSelection();
      if (selection) selection.removeAllRanges();
      if (keyboard.from && keyboard.from.focus) keyboard.from.focus();
      return;
    }
    var forward = key === "ArrowDown" || key === "ArrowRight";
    var back = key === "ArrowUp" || key === "ArrowLeft";
    if (forward || back) {
      event.preventDefault();
      if (event.shiftKey) {
        var count = sentences(blocks()[keyboard.block]).length;
        keyboard.last = Math.max(keyboard.first, Math.min(count - 1, keyboard.last + (forward ? 1 : -1)));
        selectSentences();
      } else {
        moveSentence(forward ? 1 : -1);
      }
    } else if (key === "Enter") {
      event.preventDefault();
      stopKeyboard();
      pointer = "keyboard";
      readSelection();
      var first = toolbar && !toolbar.hidden && toolbar.querySelector("button");
      if (first) first.focus();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-keyboard-select]")) startKeyboard();
  });

  // The toolbar's buttons, reached by keyboard: arrows move between them, Escape goes back.
  if (toolbar) {
    toolbar.addEventListener("keydown", function (event) {
      var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
      var at = buttons.indexOf(document.activeElement);
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        event.preventDefault();
        var next = (at + (event.key === "ArrowRight" ? 1 : buttons.length - 1)) % buttons.length;
        buttons[next].focus();
      }
    });
  }

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

  function revised(detail) {
    return Boolean(detail && detail.events) &&
      detail.events.some(function (e) { return e.kind === "article.revised"; });
  }

  function onlyMine(detail) {
    // A new text is never "mine" to skip: the page still shows the old one.
    return Boolean(me) && detail && detail.events && detail.events.length > 0 && !revised(detail) &&
      detail.events.every(function (e) { return String(e.actor_id) === me; });
  }

  // The article got a new text (an import, an edit): say so. The refresh this same event
  // triggers brings the new body and the moved highlights (held back while selecting).
  var updated = document.getElementById("article-updated");
  var revisedFrom = null; // the revision the body showed when a new one was announced
  function behind() {
    return revisedFrom !== null && revisionShown() === revisedFrom;
  }
  function claimFeed(event) {
    return Boolean(event.target && event.target.id) && event.target.id.indexOf("live-claim-") === 0;
  }

  // A claim settled or edited in a card's desk: its passages take the new colour and marker
  // (the article's own feed skips changes this page made; the desk's claim feed does not).
  document.body.addEventListener("claimlens:changed", function (event) {
    if (!claimFeed(event) || !event.detail || !event.detail.events) return;
    var settled = event.detail.events.some(function (e) { return e.kind.indexOf("claim.") === 0; });
    if (settled) htmx.trigger(document.body, "claimlens:repaint");
  });

  document.body.addEventListener("claimlens:changed", function (event) {
    if (!revised(event.detail)) return;
    if (!behind()) revisedFrom = revisionShown();
    if (!updated) return;
    updated.hidden = false;
    flash(updated);
  });

  var kept = null; // what a live refresh must not move: scroll positions and the focus

  // What makes #reader-cards fetch itself (its hx-trigger); paging and filtering are the
  // reader's own doing and may move things.
  var LIVE = ["claimlens:changed", "claimlens:repaint", "annotation:reattached"];

  document.body.addEventListener("htmx:configRequest", function (event) {
    var cause = event.detail.triggeringEvent;
    if (event.detail.elt.id !== "reader-cards" || !cause || LIVE.indexOf(cause.type) < 0) return;
    // This page already shows its own changes; only other people's need fetching. A card's
    // desk follows its claim's own feed and updates itself (claimFeed, below).
    if (cause.type === "claimlens:changed" && (onlyMine(cause.detail) || claimFeed(cause))) {
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
  function say(text, duration) {
    notice.textContent = text;
    notice.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () { notice.hidden = true; }, duration || 4000);
  }
  // Throttled (429) and database outages (503) say when to try again (Retry-After, seconds).
  function retryAfter(xhr) {
    var seconds = parseInt(xhr.getResponseHeader("Retry-After") || "", 10);
    return isNaN(seconds) ? "" : seconds <= 60 ? " in " + seconds + " s" : " in " + Math.ceil(seconds / 60) + " min";
  }
  document.body.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr, status = xhr.status;
    say(status === 403 ? "You are not allowed to do that."
      : status === 404 ? "That annotation is gone."
      : status === 429 ? "Too many changes at once: nothing was saved. Try again" + (retryAfter(xhr) || " shortly") + "."
      : status === 503 ? "Claimlens cannot reach its database: nothing was saved. Try again" + (retryAfter(xhr) || " shortly") + "."
      : "Something went wrong (" + status + "). Try again.", status === 429 || status === 503 ? 8000 : 4000);
  });
})();

// Claim suggestions (annotations/suggestions): a dotted underline under each suggested passage,
// drawn with the CSS Custom Highlight API so the painted body is never touched, and hidden or
// shown again with the list's "Hide markers" button.
(function () {
  var list = document.getElementById("suggestions");
  var body = document.getElementById("article-body");
  if (!list || !body || !window.CSS || !CSS.highlights || typeof Highlight === "undefined") return;
  var toggle = list.querySelector("[data-toggle-suggestion-marks]");

  function point(at) { // the DOM point at a plain-text offset (code points, as on the server)
    var block = null;
    body.querySelectorAll("[data-start]").forEach(function (b) { if (+b.dataset.start <= at) block = b; });
    if (!block) return null;
    var left = at - block.dataset.start;
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (var text = walker.nextNode(); text; text = walker.nextNode()) {
      var chars = Array.from(text.data);
      if (left <= chars.length) return [text, chars.slice(0, left).join("").length];
      left -= chars.length;
    }
    return null;
  }

  function draw() {
    CSS.highlights.delete("claim-suggestion");
    if (toggle && toggle.getAttribute("aria-pressed") === "true") return;
    var marks = new Highlight();
    list.querySelectorAll("li.suggestion").forEach(function (item) {
      var from = point(+item.dataset.start), to = point(+item.dataset.end);
      if (!from || !to) return;
      var range = new Range();
      range.setStart(from[0], from[1]);
      range.setEnd(to[0], to[1]);
      marks.add(range);
    });
    CSS.highlights.set("claim-suggestion", marks);
  }

  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var hide = toggle.getAttribute("aria-pressed") !== "true";
      toggle.setAttribute("aria-pressed", hide ? "true" : "false");
      toggle.textContent = hide ? "Show markers" : "Hide markers";
      draw();
    });
  }
  // The body is repainted and items are dismissed in place: draw the marks again after each.
  document.body.addEventListener("htmx:afterSettle", draw);
  draw();
})();
