// 颜色模式按钮：主题默认在“亮色 → 跟随系统 → 暗色”之间轮换，系统是亮色时第二下看起来没反应。
// 这里改成亮色与暗色两态切换（在捕获阶段先处理点击，主题自己的处理函数不再运行）。
document.addEventListener(
  "click",
  (event) => {
    if (!event.target.closest || !event.target.closest(".theme-switch-button")) return;
    event.stopPropagation();
    event.preventDefault();
    const root = document.documentElement;
    const next = root.dataset.theme === "dark" ? "light" : "dark";
    root.dataset.mode = next;
    root.dataset.theme = next;
    localStorage.setItem("mode", next);
    localStorage.setItem("theme", next);
  },
  true,
);
