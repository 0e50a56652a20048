// "Lees voor": reads a question aloud with the browser's own speech (no data leaves the device).
// Each button names the element to read in data-speak. Without speech support the buttons are hidden.
(function () {
  "use strict";
  function init() {
    var buttons = document.querySelectorAll("button[data-speak]");
    if (!("speechSynthesis" in window)) {
      buttons.forEach(function (b) { b.hidden = true; });
      return;
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-speak"));
        if (!target) { return; }
        window.speechSynthesis.cancel();
        var utterance = new SpeechSynthesisUtterance(target.textContent.trim());
        utterance.lang = document.documentElement.lang || "nl";
        utterance.rate = 0.9;
        window.speechSynthesis.speak(utterance);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
