// Select the whole value of a field marked data-select-on-focus when it gets focus (a new API
// token, to copy it at once). A file rather than an onfocus attribute: the CSP runs no inline code.
(function () {
  "use strict";
  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (field instanceof HTMLInputElement && field.hasAttribute("data-select-on-focus")) {
      field.select();
    }
  });
})();
