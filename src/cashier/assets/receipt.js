/* Payrail receipt: after a successful payment, go on to the merchant's returnUrl by itself after a
 * few seconds, showing the countdown, the link to go now and a control to stay (WCAG 2.2.1).
 * Progressive enhancement only: without this file the receipt shows the link and stays. */
(function () {
  'use strict';
  var box = document.querySelector('[data-return-after]');
  var link = document.querySelector('a[data-return-link]');
  if (!box || !link) return;
  var left = parseInt(box.getAttribute('data-return-after'), 10);
  if (!(left > 0)) return;
  var text = box.querySelector('[data-countdown]');
  var stay = box.querySelector('button[data-stay]');
  var sentence = box.getAttribute('data-countdown-text') || '';
  function show() { text.textContent = sentence.replace('{seconds}', String(left)); }
  var timer = setInterval(function () {
    left -= 1;
    if (left > 0) return show();
    clearInterval(timer);
    window.location.assign(link.href);
  }, 1000);
  stay.addEventListener('click', function () {
    clearInterval(timer);
    text.textContent = box.getAttribute('data-stayed-text') || '';
    stay.hidden = true;
    link.focus();
  });
  show();
  box.hidden = false;
})();
