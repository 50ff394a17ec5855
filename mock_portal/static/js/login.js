/* Login page: leave iframes (expired sessions land here), click the captcha image to refresh it. */
(function () {
  "use strict";
  if (window.top !== window.self) {
    window.top.location.href = window.location.href;
    return;
  }
  const img = document.getElementById("captcha-img");
  if (img) {
    img.addEventListener("click", () => { img.src = "/cas/captcha?refresh=1&t=" + Date.now(); });
  }
})();
