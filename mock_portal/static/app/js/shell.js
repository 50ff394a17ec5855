/* 海关原产地证书 shell: left nav tree, one layui tab with an iframe per menu page, the notice layers. */
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
    window.SW.notices(layer);
  });
})(window, window.jQuery);
