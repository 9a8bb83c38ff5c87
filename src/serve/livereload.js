// Injected by `fascia serve` only: reloads changed pages, swaps CSS, shows build errors.
(() => {
  const key = "fascia-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    addEventListener("load", () => scrollTo(0, Number(saved)));
  }
  const reload = () => {
    sessionStorage.setItem(key, String(scrollY));
    location.reload();
  };
  let overlay = null;
  const showErrors = (text) => {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "fascia-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:2rem;font:14px/1.5 ui-monospace,monospace";
      const title = document.createElement("p");
      title.textContent = "fascia: the build failed. Fix the file and save; this page updates by itself.";
      title.style.cssText = "font-weight:bold;color:#ff9d9d";
      overlay.append(title, document.createElement("pre"));
      document.documentElement.append(overlay);
    }
    overlay.querySelector("pre").textContent = text;
  };
  let hadError = false;
  let lostConnection = false;
  const connect = () => {
    const events = new EventSource("/__fascia/events");
    events.onopen = () => {
      document.documentElement.dataset.fasciaLive = "connected";
      if (lostConnection) reload();
    };
    events.onerror = () => {
      lostConnection = true;
    };
    events.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.type === "error") {
        hadError = true;
        showErrors(m.text);
      } else if (m.type === "ok") {
        if (hadError) reload();
      } else if (m.type === "css") {
        for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
          const url = new URL(link.href);
          if (m.paths.includes(url.pathname)) {
            url.searchParams.set("fascia", Date.now().toString());
            link.href = url.toString();
          }
        }
      } else if (m.type === "reload") {
        if (m.paths.includes(location.pathname) || hadError) reload();
      }
    };
  };
  connect();
})();
