// The sign helper of /docs: the merchant number and app secret typed into the page sign every
// "Try it out" request (a fresh timestamp, then an MD5 sign with the secret as suffix). They live
// in this page's memory only: never stored, never sent anywhere but in the signed request's
// merchantNo header and sign. Served from this gateway, so the strict CSP of /docs allows it.
(function () {
  'use strict';

  // MD5 of a string's UTF-8 bytes, as lowercase hex (RFC 1321). WebCrypto has no MD5.
  function md5(text) {
    var bytes = new TextEncoder().encode(text);
    var length = bytes.length;
    var words = new Array(((length + 8) >> 6) * 16 + 16).fill(0);
    for (var i = 0; i < length; i++) words[i >> 2] |= bytes[i] << ((i % 4) * 8);
    words[length >> 2] |= 0x80 << ((length % 4) * 8);
    var total = ((length + 8) >> 6) * 16 + 14;
    words[total] = (length * 8) >>> 0;
    words[total + 1] = Math.floor(length / 0x20000000);
    var S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
    var K = [];
    for (var k = 0; k < 64; k++) K[k] = Math.floor(Math.abs(Math.sin(k + 1)) * 0x100000000) | 0;
    var a0 = 0x67452301, b0 = 0xefcdab89 | 0, c0 = 0x98badcfe | 0, d0 = 0x10325476;
    for (var block = 0; block < total + 2; block += 16) {
      var a = a0, b = b0, c = c0, d = d0;
      for (var j = 0; j < 64; j++) {
        var f, g, round = j >> 4;
        if (round === 0) { f = (b & c) | (~b & d); g = j; }
        else if (round === 1) { f = (d & b) | (~d & c); g = (5 * j + 1) % 16; }
        else if (round === 2) { f = b ^ c ^ d; g = (3 * j + 5) % 16; }
        else { f = c ^ (b | ~d); g = (7 * j) % 16; }
        var sum = (a + f + K[j] + words[block + g]) | 0;
        var shift = S[round * 4 + (j % 4)];
        a = d; d = c; c = b;
        b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
      }
      a0 = (a0 + a) | 0; b0 = (b0 + b) | 0; c0 = (c0 + c) | 0; d0 = (d0 + d) | 0;
    }
    var hex = '';
    [a0, b0, c0, d0].forEach(function (word) {
      for (var n = 0; n < 4; n++) hex += ((word >>> (n * 8)) & 0xff).toString(16).padStart(2, '0');
    });
    return hex;
  }

  // Every field but sign, without null or "", sorted by UTF-16 code units, key=value joined.
  function signString(body) {
    return Object.keys(body)
      .filter(function (key) { return key !== 'sign' && body[key] !== null && body[key] !== ''; })
      .sort()
      .map(function (key) { return key + '=' + (typeof body[key] === 'string' ? body[key] : JSON.stringify(body[key])); })
      .join('');
  }

  var credentials = { merchantNo: '', appSecret: '' };

  // Swagger UI's requestInterceptor (see docs.ts) calls this for every "Try it out".
  function signRequest(request) {
    if (!credentials.merchantNo || !credentials.appSecret) return request;
    if (String(request.method).toUpperCase() !== 'POST' || new URL(request.url, location.href).pathname.indexOf('/v1/') !== 0) return request;
    var body;
    try { body = JSON.parse(request.body); } catch (error) { return request; }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return request;
    delete body.sign;
    body.timestamp = String(Date.now());
    var text = signString(body);
    body.sign = md5(text + credentials.appSecret);
    request.body = JSON.stringify(body);
    request.headers = Object.assign({}, request.headers, { merchantNo: credentials.merchantNo });
    return request;
  }

  window.payrailMd5 = md5;
  window.payrailSignString = signString;
  window.payrailSignRequest = signRequest;
  if (typeof document === 'undefined') return;

  function field(labelText, type, key) {
    var label = document.createElement('label');
    label.style.marginRight = '1rem';
    label.textContent = labelText + ' ';
    var input = document.createElement('input');
    input.type = type;
    input.autocomplete = 'off';
    input.spellcheck = false;
    input.addEventListener('input', function () { credentials[key] = input.value.trim(); });
    label.appendChild(input);
    return label;
  }

  function install() {
    var panel = document.createElement('form');
    panel.id = 'payrail-sign-helper';
    panel.setAttribute('aria-label', 'Sign requests');
    panel.style.cssText = 'font-family:sans-serif;max-width:1460px;margin:0 auto;padding:12px 20px;background:#f4f4fb;border-bottom:1px solid #ddd';
    panel.addEventListener('submit', function (event) { event.preventDefault(); });
    var title = document.createElement('strong');
    title.textContent = 'Sign requests: ';
    panel.appendChild(title);
    panel.appendChild(field('merchantNo', 'text', 'merchantNo'));
    panel.appendChild(field('App secret', 'password', 'appSecret'));
    var note = document.createElement('small');
    note.textContent = 'Kept in this page only (never stored). Each "Try it out" gets a fresh timestamp, the merchantNo header and an MD5 sign.';
    panel.appendChild(note);
    document.body.insertBefore(panel, document.body.firstChild);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', install);
  else install();
})();
