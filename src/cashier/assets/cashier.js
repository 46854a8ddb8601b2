/* Payrail hosted cashier: progressive enhancement only. Every check here is repeated on the
 * server; the page works without this file. Sentences come from the form's data-msg JSON. */
(function () {
  'use strict';
  // The page that sends the browser to a processor's 3-D Secure page: go at once.
  var onward = document.querySelector('form[data-autosubmit]');
  if (onward) { onward.submit(); return; }
  var form = document.querySelector('form[data-msg]');
  if (!form) return;
  // What 3-D Secure 2 asks about the browser; the server has defaults when this does not run.
  [['colorDepth', screen.colorDepth], ['screenHeight', screen.height], ['screenWidth', screen.width], ['timeZoneOffset', new Date().getTimezoneOffset()]].forEach(function (pair) {
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = pair[0];
    input.value = String(pair[1]);
    form.appendChild(input);
  });
  var msg = JSON.parse(form.getAttribute('data-msg') || '{}');
  var button = form.querySelector('button[type=submit]');
  var busy = false;

  var BRANDS = [
    ['Visa', /^4/, true],
    ['Mastercard', /^(5[1-5]|2(22[1-9]|2[3-9]|[3-6]|7[01]|720))/, true],
    ['American Express', /^3[47]/],
    ['Diners Club', /^3(0[0-5]|[689])/],
    ['JCB', /^35/],
    ['UnionPay', /^62/],
    ['Discover', /^6(011|4[4-9]|5)/],
    ['Maestro', /^(5[06-9]|6)/]
  ];

  function digits(v) { return v.replace(/\D/g, ''); }

  function brandOf(d) {
    for (var i = 0; i < BRANDS.length; i++) if (BRANDS[i][1].test(d)) return BRANDS[i];
    return null;
  }

  function luhn(d) {
    var sum = 0;
    for (var i = d.length - 1, alt = false; i >= 0; i--, alt = !alt) {
      var n = +d.charAt(i);
      if (alt && (n *= 2) > 9) n -= 9;
      sum += n;
    }
    return sum % 10 === 0;
  }

  var EXPIRY = /^(\d\d)\s*\/?\s*(?:20)?(\d\d)$/;

  /* Each returns a reason key, or '' when the value is fine. */
  var checks = {
    number: function (v) {
      var d = v.replace(/[\s-]/g, '');
      if (!d) return 'card.required';
      if (/\D/.test(d)) return 'card.format';
      var b = brandOf(d);
      if (b && !b[2]) return 'card.brand';
      if (d.length < 13 || d.length > 19) return 'card.format';
      if (!b) return 'card.brand';
      return luhn(d) ? '' : 'card.luhn';
    },
    expiry: function (v) {
      var m = EXPIRY.exec(v.trim());
      if (!m || +m[1] < 1 || +m[1] > 12) return 'expiry.format';
      var now = new Date(), y = 2000 + +m[2], thisYear = now.getFullYear();
      return y < thisYear || (y === thisYear && +m[1] < now.getMonth() + 1) ? 'expiry.past' : '';
    },
    cvc: function (v) { return /^\d{3}$/.test(v.trim()) ? '' : 'cvc.format'; },
    holder: function (v) {
      v = v.trim();
      if (!v) return 'name.required';
      return /^[\p{L}\p{M}][\p{L}\p{M} .'\u2019-]{0,63}$/u.test(v) ? '' : 'name.format';
    },
    code: function (v) { return /^\d{6}$/.test(v.trim()) ? '' : 'code.format'; }
  };

  var reshape = {
    number: function (el) {
      var caretDigits = digits(el.value.slice(0, el.selectionStart || 0)).length;
      var d = digits(el.value).slice(0, 19);
      var v = d.replace(/(\d{4})(?=\d)/g, '$1 ');
      el.value = v;
      var i = 0;
      for (var seen = 0; i < v.length && seen < caretDigits; i++) if (v.charAt(i) !== ' ') seen++;
      if (document.activeElement === el) el.setSelectionRange(i, i);
      showBrand(el, d);
    },
    expiry: function (el, ev) {
      if (ev.inputType && ev.inputType.indexOf('delete') === 0) return;
      var m = /^(\d{1,2})\s*\/\s*(?:20)?(\d\d)$/.exec(el.value.trim());
      var d = m ? ('0' + m[1]).slice(-2) + m[2] : digits(el.value).slice(0, 4);
      if (d.length === 1 && d > '1') d = '0' + d;
      el.value = d.length > 2 ? d.slice(0, 2) + '/' + d.slice(2) : d;
    },
    cvc: function (el) { el.value = digits(el.value).slice(0, 3); },
    code: function (el) { el.value = digits(el.value).slice(0, 6); }
  };

  function showBrand(el, d) {
    var out = document.getElementById(el.id + '-brand');
    if (!out) return;
    var b = d ? brandOf(d) : null;
    out.textContent = !b ? '' : b[2] ? b[0] : (msg.brandNotAccepted || '{brand}').replace('{brand}', b[0]);
    out.className = 'brand' + (b && !b[2] ? ' bad' : '');
  }

  function show(el, reason) {
    var out = document.getElementById(el.id + '-error');
    if (out) out.textContent = reason ? msg[reason] || reason : '';
    if (reason) el.setAttribute('aria-invalid', 'true');
    else el.removeAttribute('aria-invalid');
  }

  function check(el) {
    var reason = checks[el.getAttribute('data-check')](el.value);
    show(el, reason);
    return !reason;
  }

  var inputs = form.querySelectorAll('input[data-check]');
  Array.prototype.forEach.call(inputs, function (el) {
    var kind = el.getAttribute('data-check');
    el.addEventListener('input', function (ev) {
      if (reshape[kind]) reshape[kind](el, ev);
      if (el.getAttribute('aria-invalid') === 'true') check(el);
    });
    el.addEventListener('blur', function () {
      if (el.value.trim()) check(el);
    });
    if (kind === 'number' && el.value) showBrand(el, digits(el.value));
  });

  form.addEventListener('submit', function (ev) {
    if (busy) { ev.preventDefault(); return; }
    var first = null;
    Array.prototype.forEach.call(inputs, function (el) {
      if (!check(el) && !first) first = el;
    });
    if (first) { ev.preventDefault(); first.focus(); return; }
    busy = true;
    if (button) {
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
      if (msg.paying) button.textContent = msg.paying;
    }
  });

  /* Coming back through the history cache must not leave a dead button behind. */
  window.addEventListener('pageshow', function (ev) {
    if (!ev.persisted || !button) return;
    busy = false;
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = button.getAttribute('data-label') || button.textContent;
  });
})();
