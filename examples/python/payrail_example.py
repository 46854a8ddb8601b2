import hashlib
import hmac
import json
import os
import sys
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

PAYRAIL_URL = os.environ.get("PAYRAIL_URL", "http://localhost:8080")
MERCHANT_NO = os.environ["PAYRAIL_MERCHANT_NO"]
APP_SECRET = os.environ["PAYRAIL_APP_SECRET"]


def sign_string(fields):
    kept = {k: v for k, v in fields.items() if k != "sign" and v is not None and v != ""}
    # sorted() on str compares code points; for the ASCII keys of the API that is the order the gateway uses
    return "".join(f"{k}={'true' if v is True else 'false' if v is False else v}" for k, v in sorted(kept.items()))


def sign(fields, secret=APP_SECRET):
    return hashlib.md5((sign_string(fields) + secret).encode("utf-8")).hexdigest()


def call(path, fields):
    body = dict(fields, timestamp=str(int(time.time() * 1000)))
    body["sign"] = sign(body)
    request = urllib.request.Request(
        PAYRAIL_URL + path,
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json", "merchantNo": MERCHANT_NO},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)
def checkout(trade_no, amount, notify_url, return_url):
    return call("/v1/checkout", {
        "tradeNo": trade_no, "amount": amount, "currency": "USD",
        "mobile": "15550100", "email": "buyer@example.com", "userId": "user-42",
        "notifyUrl": notify_url, "returnUrl": return_url,
    })
def verify_notification(raw):
    secrets = [s for s in (APP_SECRET, os.environ.get("PAYRAIL_PREVIOUS_APP_SECRET")) if s]
    try:
        fields = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(fields, dict) or not isinstance(fields.get("sign"), str):
        return None
    for secret in secrets:
        if hmac.compare_digest(sign(fields, secret), fields["sign"].lower()):
            return fields
    return None


class NotificationHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        notification = verify_notification(raw)
        answer = b"OK" if notification else b"bad sign"
        if notification:
            # Record it once per notification["notifyId"], then acknowledge.
            print(json.dumps(notification), flush=True)
        self.send_response(200 if notification else 400)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def listen(port):
    HTTPServer(("127.0.0.1", port), NotificationHandler).serve_forever()
def query(trade_no):
    return call("/v1/checkout/query", {"tradeNo": trade_no})
def refund(trade_no, refund_no, amount):
    return call("/v1/refund", {"tradeNo": trade_no, "refundNo": refund_no, "amount": amount})

def charge(trade_no, amount, customer_id, card_token, notify_url, reason):
    return call("/v1/charge", {
        "tradeNo": trade_no, "amount": amount, "currency": "USD", "customerId": customer_id,
        "cardToken": card_token, "notifyUrl": notify_url, "reason": reason,
    })


def cards(customer_id):
    return call("/v1/card/list", {"customerId": customer_id})


def delete_card(card_token):
    return call("/v1/card/delete", {"cardToken": card_token})


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "sign":
        print(sign(dict(pair.split("=", 1) for pair in args)))
    elif command == "listen":
        listen(int(args[0]))
    else:
        commands = {"checkout": checkout, "query": query, "refund": refund,
                    "charge": charge, "cards": cards, "delete-card": delete_card}
        print(json.dumps(commands[command](*args)))
