#!/usr/bin/env bash
set -euo pipefail
: "${PAYRAIL_URL:=http://localhost:8080}"

# sign KEY=VALUE...: the sign of those fields. Empty values are left out; LC_ALL=C sorts
# by character code, as the gateway does.
sign() {
  local text
  text=$(printf '%s\n' "$@" | grep -v '=$' | LC_ALL=C sort | tr -d '\n')
  printf '%s' "${text}${PAYRAIL_APP_SECRET}" | openssl md5 | awk '{print $NF}'
}

# call PATH KEY=VALUE...: adds the timestamp and the sign, POSTs the JSON body, prints the answer.
call() {
  local path=$1
  shift
  local fields=("$@" "timestamp=$(date +%s)000")
  local body='{' sep='' field key value
  for field in "${fields[@]}"; do
    key=${field%%=*}
    value=${field#*=}
    value=${value//\\/\\\\}
    value=${value//\"/\\\"}
    body+="$sep\"$key\":\"$value\""
    sep=','
  done
  body+="$sep\"sign\":\"$(sign "${fields[@]}")\"}"
  curl -sS "$PAYRAIL_URL$path" -H 'Content-Type: application/json' -H "merchantNo: $PAYRAIL_MERCHANT_NO" -d "$body"
  echo
}
checkout() { # TRADE_NO AMOUNT NOTIFY_URL RETURN_URL
  call /v1/checkout tradeNo="$1" amount="$2" currency=USD mobile=15550100 \
    email=buyer@example.com userId=user-42 notifyUrl="$3" returnUrl="$4"
}
query() { # TRADE_NO
  call /v1/checkout/query tradeNo="$1"
}
refund() { # TRADE_NO REFUND_NO AMOUNT
  call /v1/refund tradeNo="$1" refundNo="$2" amount="$3"
}
charge() { # TRADE_NO AMOUNT CUSTOMER_ID CARD_TOKEN NOTIFY_URL REASON
  call /v1/charge tradeNo="$1" amount="$2" currency=USD customerId="$3" cardToken="$4" \
    notifyUrl="$5" reason="$6"
}

cards() { # CUSTOMER_ID
  call /v1/card/list customerId="$1"
}

delete-card() { # CARD_TOKEN
  call /v1/card/delete cardToken="$1"
}

"$@" # bash payrail.sh COMMAND ARGS...
