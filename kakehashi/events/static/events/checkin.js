// QR check-in: the phone camera through the browser's BarcodeDetector, when it has one.
// The code's text goes into the same field staff can type into, and the form is sent.
(function () {
  "use strict";
  const start = document.getElementById("scanner-start");
  const stop = document.getElementById("scanner-stop");
  const box = document.getElementById("scanner");
  const video = document.getElementById("scanner-video");
  const input = document.getElementById("id_code");
  const form = document.getElementById("code-form");
  if (!start || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  start.hidden = false;
  let stream = null;
  let last = "";
  let lastAt = 0;
  const detector = new window.BarcodeDetector({ formats: ["qr_code"] });

  function halt() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    box.hidden = true;
    start.hidden = false;
  }

  async function scan() {
    if (!stream) return;
    try {
      const codes = await detector.detect(video);
      const now = Date.now();
      if (codes.length && (codes[0].rawValue !== last || now - lastAt > 4000)) {
        last = codes[0].rawValue;
        lastAt = now;
        input.value = last;
        if (navigator.vibrate) navigator.vibrate(80);
        form.requestSubmit();
      }
    } catch (e) { /* a frame that could not be read */ }
    window.setTimeout(scan, 250);
  }

  start.addEventListener("click", async function () {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (e) {
      return; // no camera or permission refused: the text field still works
    }
    video.srcObject = stream;
    await video.play();
    box.hidden = false;
    start.hidden = true;
    scan();
  });
  stop.addEventListener("click", halt);
  document.body.addEventListener("htmx:afterSwap", function () { input.value = ""; });
})();
