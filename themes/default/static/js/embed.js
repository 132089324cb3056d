// An embedded record tells the page that frames it how tall it is, so the frame can fit it
// (the snippet under "Embed this ..." listens for this message). Only a number is sent.
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function post() {
    var h = Math.ceil(document.documentElement.scrollHeight);
    if (h !== last) {
      last = h;
      window.parent.postMessage({ pactgenHeight: h }, "*");
    }
  }
  window.addEventListener("load", post);
  window.addEventListener("resize", post);
  if (window.ResizeObserver) new ResizeObserver(post).observe(document.body);
  post();
})();
