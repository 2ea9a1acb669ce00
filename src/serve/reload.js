(function () {
  "use strict";
  // Injected by `gongshi serve` only; `gongshi build` never writes it.
  // One tab per browser holds the event stream (a Web Lock elects it) and passes every event
  // to the other tabs over a BroadcastChannel, so any number of open tabs cost one of the
  // browser's six connections to the preview. Without those APIs each tab listens itself.
  var cfg = window.__gongshi;
  var known = cfg.gen;
  var done = false;
  var last = null;
  var name = "gongshi-reload " + cfg.events;
  var channel = null;

  function reload() {
    if (!done) {
      done = true;
      location.reload();
    }
  }

  // An event names the generation it leads from and to, and the pages that changed. A tab
  // that saw every step reloads only when its own page changed; one that missed a step, or
  // talks to a restarted server, reloads to be safe.
  function consider(msg) {
    if (done || !msg || typeof msg !== "object") return;
    if (msg.instance !== cfg.instance) return reload();
    if (msg.to <= known) return;
    if (msg.hello || msg.from !== known || msg.all || msg.pages.indexOf(cfg.page) >= 0) {
      return reload();
    }
    known = msg.to;
  }

  function listen() {
    var source = new EventSource(cfg.events);
    source.addEventListener("reload", function (e) {
      var msg;
      try {
        msg = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      last = msg;
      if (channel) channel.postMessage(msg);
      consider(msg);
    });
    window.addEventListener("pagehide", function () {
      source.close();
    });
  }

  try {
    channel = new BroadcastChannel(name);
  } catch (err) {
    channel = null;
  }
  if (channel && navigator.locks && navigator.locks.request) {
    channel.onmessage = function (e) {
      if (e.data === "hello") {
        if (last) {
          var state = JSON.parse(JSON.stringify(last));
          state.hello = true;
          channel.postMessage(state);
        }
        return;
      }
      consider(e.data);
    };
    navigator.locks.request(name, function () {
      listen();
      return new Promise(function () {});
    });
    channel.postMessage("hello");
  } else {
    listen();
  }
})();
