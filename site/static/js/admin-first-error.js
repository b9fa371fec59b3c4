// Wagtail admin: "Go to the first error" must end at the error, whichever tab holds it.
// Wagtail focuses the error and smooth-scrolls to it, but when the error sits in a tab that was not
// open (the quiz's questions are in the Quiz tab) Chromium stops that scroll a few pixels in, as the
// tab switches; the editor is left at the top of the tab, looking at the first question
// (wagtail/wagtail#13531 notes it). Once the switch has settled, scroll again if the error is not
// in view.
(function () {
  'use strict';

  var SETTLE_MS = 400;

  function inView(element) {
    var box = element.getBoundingClientRect();
    return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
  }

  document.addEventListener('w-focus:focused', function (event) {
    var target = event.target;
    window.setTimeout(function () {
      if (target.isConnected && !inView(target)) {
        target.scrollIntoView({ behavior: 'instant', block: 'center' });
      }
    }, SETTLE_MS);
  });
})();
