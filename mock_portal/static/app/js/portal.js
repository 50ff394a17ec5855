/* Portal home: the 通知公告 layer after login (when the portal has one). */
(function (window, $) {
  "use strict";
  layui.use(["layer"], function () {
    var content = $("#notice-content").html();
    if (!content) return;
    layui.layer.open({ type: 1, title: "通知公告", area: ["520px", "auto"], shadeClose: false,
      content: content, btn: ["我知道了"] });
  });
})(window, window.jQuery);
