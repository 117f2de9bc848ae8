// Follows the task shown on the page: asks the server for its status twice a second until
// it is finished, and shows each answer. Plain fetch and DOM calls: nothing to build.
"use strict";

const POLL_MS = 500;
const RETRY_MS = 2000;

function follow(section) {
  const field = (name) => section.querySelector(`[data-field="${name}"]`);
  const bar = section.querySelector("progress");

  // Change only what changed: a live region re-announces every text it is given.
  function set(element, text) {
    if (element.textContent !== text) element.textContent = text;
  }

  function show(task) {
    section.dataset.status = task.status;
    set(field("status"), task.status);
    set(field("message"), task.message);
    if (task.percent === null) {
      bar.removeAttribute("value"); // no progress reported yet: an indeterminate bar
      set(field("percent"), "");
    } else {
      bar.value = task.percent;
      set(field("percent"), `${task.percent} %`);
    }
    document.title = `Your task: ${task.status} · TaskDemo`;
  }

  async function poll() {
    let response;
    try {
      response = await fetch(section.dataset.statusUrl, { headers: { Accept: "application/json" } });
    } catch {
      // The server did not answer (restarting, or the network dropped): say so, try again.
      set(field("message"), "Lost contact with the server; trying again…");
      setTimeout(poll, RETRY_MS);
      return;
    }
    if (!response.ok) {
      set(field("message"), "This task is no longer available. Start a new one below.");
      return;
    }
    const task = await response.json();
    show(task);
    if (!task.finished) setTimeout(poll, POLL_MS);
  }

  if (section.dataset.finished !== "true") setTimeout(poll, POLL_MS);
}

const section = document.getElementById("task");
if (section) follow(section);
