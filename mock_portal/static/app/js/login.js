/* CAS login: leave iframes (an expired session lands here), captcha refresh on click, messages by layer. */
(function (window, $) {
  "use strict";
  if (window.top !== window.self) {
    window.top.location.href = window.location.href;
    return;
  }
  layui.use(["layer", "form"], function () {
    var layer = layui.layer, form = layui.form;
    var $box = $(".sw-login-box");
    if ($box.data("msg")) layer.msg(String($box.data("msg")), { icon: 2, time: 3000 });
    else if ($box.data("info")) layer.msg(String($box.data("info")), { icon: 0, time: 3000 });
    $(".sw-captcha").on("click", function () { this.src = "/cas/captcha?refresh=1&t=" + Date.now(); });
    form.on("submit(login)", function () { return true; });
  });
})(window, window.jQuery);
