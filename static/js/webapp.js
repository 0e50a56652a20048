// Register the service worker (apps/core/webapp.py): it caches static files and the offline page only.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", function () { navigator.serviceWorker.register("/sw.js"); });
}
