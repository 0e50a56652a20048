// "Lees voor": read a block of the page aloud with the browser's own speech synthesis, in the language of
// that block (its lang attribute, else the page's). Nothing is sent to a server (docs/translation.md).
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
    return; // the buttons stay hidden
  }
  function languageOf(element) {
    var holder = element.closest("[lang]");
    return (holder && holder.getAttribute("lang")) || document.documentElement.lang || "nl";
  }
  function setUp(button) {
    if (button.dataset.readAloudReady) { return; }
    button.dataset.readAloudReady = "1";
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      var target = document.getElementById(button.dataset.readAloud);
      if (!target) { return; }
      if (window.speechSynthesis.speaking) {
        window.speechSynthesis.cancel();
        button.textContent = label;
        return;
      }
      var utterance = new window.SpeechSynthesisUtterance(target.innerText);
      utterance.lang = languageOf(target);
      utterance.onend = utterance.onerror = function () { button.textContent = label; };
      button.textContent = button.dataset.stopLabel || label;
      window.speechSynthesis.speak(utterance);
    });
  }
  function setUpAll() {
    document.querySelectorAll("button[data-read-aloud]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
  document.addEventListener("htmx:afterSwap", setUpAll);
})();
