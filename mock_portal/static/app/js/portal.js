/* Portal home: the notice layers after login (when the portal has any). */
(function (window, $) {
  "use strict";
  layui.use(["layer"], function () { window.SW.notices(layui.layer); });
})(window, window.jQuery);
