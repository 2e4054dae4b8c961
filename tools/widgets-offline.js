/* Lets the Jupyter widget manager run from the book's own files, with no network.
 *
 * Loaded on pages that show widgets, before require.js and the widget manager
 * (@jupyter-widgets/html-manager 1.x, embed-amd.js).
 * 1. The manager finds its fonts from the require.js address of its own module, and
 *    from `window.__jupyter_widgets_assets_path__`; both must be set before it loads.
 *    Point both at _static/vendor/html-manager/ beside this file (require.js reads a
 *    global `require` object as its configuration when it starts).
 * 2. The manager typesets widget labels with MathJax 2's `MathJax.Hub.Queue`; the book
 *    uses MathJax 3, which has no Hub. Provide the one call it makes, on top of
 *    MathJax 3's `typesetPromise`, once MathJax has started.
 */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  if (here) {
    var assets = new URL("html-manager/", here).href;
    window.__jupyter_widgets_assets_path__ = assets;
    var folder = assets.replace(/\/$/, "");
    // Each bundled module derives its asset folder from its own address: map both the
    // manager and the controls (e.g. "@jupyter-widgets/controls") into our folder.
    window.require = { paths: {
      "@jupyter-widgets/html-manager/dist": folder,
      "@jupyter-widgets": folder
    } };
  }

  function queue() {
    for (var k = 0; k < arguments.length; k++) {
      var job = arguments[k];
      if (Array.isArray(job) && job[0] === "Typeset" && window.MathJax.typesetPromise) {
        var element = job[2];
        window.MathJax.startup.promise.then(function () {
          return window.MathJax.typesetPromise(element ? [element] : undefined);
        });
      }
    }
  }

  function addHub(mj) {
    if (mj && !mj.Hub) {
      mj.Hub = { Queue: queue };
    }
  }

  var mj = window.MathJax;
  if (mj && mj.version) {
    addHub(mj);  // MathJax 3 already running
  } else {
    // MathJax 3 has not started yet: hook its startup, keeping any ready() already set.
    mj = window.MathJax = mj || {};
    mj.startup = mj.startup || {};
    var previous = mj.startup.ready;
    mj.startup.ready = function () {
      if (previous) { previous(); } else { window.MathJax.startup.defaultReady(); }
      addHub(window.MathJax);
    };
  }
})();
