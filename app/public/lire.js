// "Lire à voix haute": reads the session's page aloud with the phone's own voice, for people who
// read with difficulty. The button stays hidden where the browser has no speech synthesis.
(function () {
  var button = document.getElementById("lire");
  var text = document.querySelector("[data-lire]");
  if (!button || !text || !("speechSynthesis" in window)) return;
  var label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", function () {
    if (speechSynthesis.speaking) {
      speechSynthesis.cancel();
      return;
    }
    var speech = new SpeechSynthesisUtterance(text.innerText);
    speech.lang = "fr-FR";
    speech.rate = 0.9;
    speech.onend = speech.onerror = function () {
      button.textContent = label;
    };
    button.textContent = "Arrêter la lecture";
    speechSynthesis.speak(speech);
  });
})();
