/* 海关原产地证书 shell: left nav tree, one layui tab with an iframe per menu page, the 通知公告 layer. */
(function (window, $) {
  "use strict";
  layui.use(["element", "layer"], function () {
    var element = layui.element, layer = layui.layer;
    $(".layui-nav-tree").on("click", "a[data-url]", function () {
      var id = $(this).attr("lay-id"), title = $.trim($(this).find("cite").text() || $(this).text()), url = $(this).data("url");
      if (!$('.sw-tabs > .layui-tab-title > li[lay-id="' + id + '"]').length) {
        element.tabAdd("tabs", {
          id: id, title: title,
          content: '<iframe src="' + url + '" frameborder="0" class="sw-frame"></iframe>'
        });
      }
      element.tabChange("tabs", id);
    });
    var content = $("#notice-content").html();
    if (content) {
      layer.open({ type: 1, title: "通知公告", area: ["520px", "auto"], content: content, btn: ["我知道了"] });
    }
  });
})(window, window.jQuery);
