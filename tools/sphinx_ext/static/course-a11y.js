/* Page-level accessibility fixes for the course book (loaded by tools/sphinx_ext).
 *
 * Every control gets an accessible name, whenever it appears (widgets are drawn after
 * the page loads, so a MutationObserver re-applies the fixes):
 *  - each slider handle of a Jupyter widget (noUiSlider, role="slider") is named by
 *    the widget's own description label (aria-labelledby);
 *  - each animation's frame slider is named "Animation frame";
 *  - an explorer's text readout (class lgc-readout) is a polite live region, so a
 *    screen reader reads the new numbers when the picture changes;
 *  - an explorer's picture (an ipywidgets Image, which has no alt) gets as its alt the
 *    text alternative the explorer gives as the widget's tooltip (its title attribute);
 *  - the theme's search buttons, whose aria-label "Search" did not contain their
 *    visible text ("Search Ctrl+K"), are named by their content;
 *  - the theme's colour-mode button is named "Color mode", but Font Awesome gave its
 *    (hidden) icons SVG titles ("Light", "Dark") that count as its text: dropped;
 *  - a hidden cell's "Show code cell source" toggle is named by that visible text
 *    (its aria-label "Toggle hidden content" did not contain it);
 *  - the bibliography list (role="list") holds list items.
 */
(function () {
  "use strict";
  var counter = 0;

  function idOf(el) {
    if (!el.id) { counter += 1; el.id = "lgc-a11y-" + counter; }
    return el.id;
  }

  function fix(root) {
    root.querySelectorAll('.noUi-handle[role="slider"]').forEach(function (handle) {
      if (handle.hasAttribute("aria-labelledby") || handle.hasAttribute("aria-label")) return;
      var box = handle.closest(".widget-slider, .widget-hslider, .widget-vslider, .jupyter-widgets");
      var label = box && box.querySelector(":scope > label.widget-label");
      if (label && label.textContent.trim()) {
        handle.setAttribute("aria-labelledby", idOf(label));
      } else {
        handle.setAttribute("aria-label", "slider");
      }
    });
    root.querySelectorAll("input.anim-slider").forEach(function (input) {
      if (!input.hasAttribute("aria-label") && !input.labels.length) {
        input.setAttribute("aria-label", "Animation frame");
      }
    });
    root.querySelectorAll(".lgc-readout").forEach(function (readout) {
      readout.setAttribute("role", "status");
      readout.setAttribute("aria-live", "polite");
    });
    root.querySelectorAll("img.widget-image[title]").forEach(function (img) {
      var text = img.getAttribute("title").trim();
      if (text && img.getAttribute("alt") !== text) img.setAttribute("alt", text);
    });
    root.querySelectorAll(".search-button__button[aria-label]").forEach(function (button) {
      if (button.textContent.trim()) button.removeAttribute("aria-label");
    });
    root.querySelectorAll(".theme-switch-button i[title]").forEach(function (icon) {
      icon.removeAttribute("title");
    });
    root.querySelectorAll(".theme-switch-button svg").forEach(function (svg) {
      svg.querySelectorAll("title").forEach(function (title) { title.remove(); });
      svg.removeAttribute("aria-labelledby");
      svg.setAttribute("aria-hidden", "true");
    });
    root.querySelectorAll("details > summary[aria-label]").forEach(function (summary) {
      if (summary.textContent.trim()) summary.removeAttribute("aria-label");
    });
    root.querySelectorAll('.citation-list[role="list"] > [role="doc-biblioentry"]').forEach(
      function (entry) { entry.setAttribute("role", "listitem"); });
  }

  function start() {
    fix(document);
    var pending = false;
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; fix(document); });
    }).observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ["title"]
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
