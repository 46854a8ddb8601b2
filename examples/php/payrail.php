<?php
// Payrail from PHP 7.4 or later with no extension beyond json: a stream context does the POST.
$payrailUrl = getenv('PAYRAIL_URL') ?: 'http://localhost:8080';
$merchantNo = getenv('PAYRAIL_MERCHANT_NO');
$appSecret = getenv('PAYRAIL_APP_SECRET');

function payrail_sign(array $fields, string $secret): string {
    unset($fields['sign']);
    $fields = array_filter($fields, fn($v) => $v !== null && $v !== '');
    ksort($fields, SORT_STRING); // byte order: uppercase before lowercase
    $text = '';
    foreach ($fields as $key => $value) {
        $text .= $key . '=' . (is_bool($value) ? ($value ? 'true' : 'false') : $value);
    }
    return md5($text . $secret);
}

function payrail_call(string $path, array $fields): array {
    global $payrailUrl, $merchantNo, $appSecret;
    $fields['timestamp'] = (string) floor(microtime(true) * 1000);
    $fields['sign'] = payrail_sign($fields, $appSecret);
    $context = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => "Content-Type: application/json\r\nmerchantNo: $merchantNo\r\n",
        'content' => json_encode($fields),
        'timeout' => 10,
        'ignore_errors' => true,
    ]]);
    $answer = file_get_contents($payrailUrl . $path, false, $context);
    if ($answer === false) throw new RuntimeException("no answer from $path");
    return json_decode($answer, true);
}
function checkout(string $tradeNo, string $amount, string $notifyUrl, string $returnUrl): array {
    return payrail_call('/v1/checkout', [
        'tradeNo' => $tradeNo, 'amount' => $amount, 'currency' => 'USD',
        'mobile' => '15550100', 'email' => 'buyer@example.com', 'userId' => 'user-42',
        'notifyUrl' => $notifyUrl, 'returnUrl' => $returnUrl,
    ]);
}
function verify_notification(string $raw): ?array {
    $secrets = array_filter([getenv('PAYRAIL_APP_SECRET'), getenv('PAYRAIL_PREVIOUS_APP_SECRET')]);
    $fields = json_decode($raw, true);
    if (!is_array($fields) || !isset($fields['sign']) || !is_string($fields['sign'])) return null;
    foreach ($secrets as $secret) {
        if (hash_equals(payrail_sign($fields, $secret), strtolower($fields['sign']))) return $fields;
    }
    return null;
}

if (PHP_SAPI !== 'cli') {
    $notification = verify_notification(file_get_contents('php://input'));
    if ($notification === null) {
        http_response_code(400);
        echo 'bad sign';
        return;
    }
    // Record it once per $notification['notifyId'], then acknowledge.
    file_put_contents('php://stdout', json_encode($notification) . "\n");
    echo 'OK';
    return;
}
function query(string $tradeNo): array {
    return payrail_call('/v1/checkout/query', ['tradeNo' => $tradeNo]);
}
function refund(string $tradeNo, string $refundNo, string $amount): array {
    return payrail_call('/v1/refund', ['tradeNo' => $tradeNo, 'refundNo' => $refundNo, 'amount' => $amount]);
}

function charge(string $tradeNo, string $amount, string $customerId, string $cardToken, string $notifyUrl, string $reason): array {
    return payrail_call('/v1/charge', [
        'tradeNo' => $tradeNo, 'amount' => $amount, 'currency' => 'USD', 'customerId' => $customerId,
        'cardToken' => $cardToken, 'notifyUrl' => $notifyUrl, 'reason' => $reason,
    ]);
}

function cards(string $customerId): array {
    return payrail_call('/v1/card/list', ['customerId' => $customerId]);
}

function delete_card(string $cardToken): array {
    return payrail_call('/v1/card/delete', ['cardToken' => $cardToken]);
}

$args = array_slice($argv, 2);
switch ($argv[1] ?? '') {
    case 'sign':
        $fields = [];
        foreach ($args as $pair) {
            $parts = explode('=', $pair, 2);
            $fields[$parts[0]] = $parts[1] ?? '';
        }
        echo payrail_sign($fields, $appSecret), "\n";
        break;
    case 'checkout': echo json_encode(checkout(...$args)), "\n"; break;
    case 'query': echo json_encode(query(...$args)), "\n"; break;
    case 'refund': echo json_encode(refund(...$args)), "\n"; break;
    case 'charge': echo json_encode(charge(...$args)), "\n"; break;
    case 'cards': echo json_encode(cards(...$args)), "\n"; break;
    case 'delete-card': echo json_encode(delete_card(...$args)), "\n"; break;
    default: fwrite(STDERR, "usage: php payrail.php sign|checkout|query|refund|charge|cards|delete-card ...\n"); exit(2);
}
