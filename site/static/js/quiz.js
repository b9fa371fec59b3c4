// A module page restored from the back/forward cache still shows the quiz as it was before the
// last submission (its token names an attempt that now exists, its ticks are the old ones): load
// it afresh. Kept out of the page so the Content-Security-Policy can forbid inline script.
window.addEventListener("pageshow", (event) => {
  if (event.persisted && document.querySelector(".quiz-form")) window.location.reload();
});
