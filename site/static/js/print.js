// Print buttons: kept out of the page so the Content-Security-Policy can forbid inline script.
document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
