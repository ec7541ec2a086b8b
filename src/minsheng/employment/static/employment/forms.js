// Employment staff forms: a message swapped into #messages (a refused form) is at the top of
// the page, far from the button the user pressed on a long form; bring it into view.
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail && event.detail.target;
  if (target && target.id === "messages") {
    target.scrollIntoView({block: "start"});
  }
});
