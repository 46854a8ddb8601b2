import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

public class PayrailExample {
    static final String PAYRAIL_URL = System.getenv().getOrDefault("PAYRAIL_URL", "http://localhost:8080");
    static final String MERCHANT_NO = System.getenv("PAYRAIL_MERCHANT_NO");
    static final String APP_SECRET = System.getenv("PAYRAIL_APP_SECRET");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** The sign string: fields but "sign", without empty ones, sorted (TreeMap on String is the gateway's order). */
    static String signString(Map<String, String> fields) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> field : new TreeMap<>(fields).entrySet()) {
            if (field.getKey().equals("sign") || field.getValue() == null || field.getValue().isEmpty()) continue;
            text.append(field.getKey()).append('=').append(field.getValue());
        }
        return text.toString();
    }

    static String md5(String text) throws Exception {
        StringBuilder hex = new StringBuilder();
        for (byte b : MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8))) hex.append(String.format("%02x", b));
        return hex.toString();
    }

    static String sign(Map<String, String> fields, String secret) throws Exception {
        return md5(signString(fields) + secret);
    }

    static String json(Map<String, String> fields) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, String> field : fields.entrySet()) {
            if (out.length() > 1) out.append(',');
            out.append(quote(field.getKey())).append(':').append(quote(field.getValue()));
        }
        return out.append('}').toString();
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }

    /** POSTs the fields with a timestamp and a sign; answers the gateway's JSON. */
    static String call(String path, Map<String, String> fields) throws Exception {
        Map<String, String> body = new LinkedHashMap<>(fields);
        body.put("timestamp", String.valueOf(System.currentTimeMillis()));
        body.put("sign", sign(body, APP_SECRET));
        HttpRequest request = HttpRequest.newBuilder(URI.create(PAYRAIL_URL + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("merchantNo", MERCHANT_NO)
            .POST(HttpRequest.BodyPublishers.ofString(json(body)))
            .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
    static String checkout(String tradeNo, String amount, String notifyUrl, String returnUrl) throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("tradeNo", tradeNo);
        fields.put("amount", amount);
        fields.put("currency", "USD");
        fields.put("mobile", "15550100");
        fields.put("email", "buyer@example.com");
        fields.put("userId", "user-42");
        fields.put("notifyUrl", notifyUrl);
        fields.put("returnUrl", returnUrl);
        return call("/v1/checkout", fields);
    }
    /** Reads a flat JSON object of strings, as notifications are. Use your JSON library instead. */
    static Map<String, String> parseFlatJson(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        int i = text.indexOf('{') + 1;
        List<String> tokens = new ArrayList<>();
        while (i > 0 && i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                StringBuilder s = new StringBuilder();
                for (i++; text.charAt(i) != '"'; i++) {
                    char d = text.charAt(i);
                    if (d == '\\') {
                        char e = text.charAt(++i);
                        if (e == 'u') { s.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16)); i += 4; }
                        else s.append(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' : e == 'f' ? '\f' : e);
                    } else s.append(d);
                }
                tokens.add(s.toString());
            }
            i++;
        }
        for (int k = 0; k + 1 < tokens.size(); k += 2) fields.put(tokens.get(k), tokens.get(k + 1));
        return fields;
    }

    static Map<String, String> verifyNotification(String raw) throws Exception {
        Map<String, String> fields = parseFlatJson(raw);
        String given = fields.getOrDefault("sign", "").toLowerCase();
        for (String secret : new String[] {APP_SECRET, System.getenv("PAYRAIL_PREVIOUS_APP_SECRET")}) {
            if (secret == null || secret.isEmpty()) continue;
            byte[] expected = sign(fields, secret).getBytes(StandardCharsets.UTF_8);
            if (MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) return fields;
        }
        return null;
    }

    static void listen(int port) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> notification;
            try {
                notification = verifyNotification(raw);
            } catch (Exception e) {
                notification = null;
            }
            if (notification != null) System.out.println(json(notification)); // record once per notifyId
            byte[] answer = (notification != null ? "OK" : "bad sign").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(notification != null ? 200 : 400, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }
    static String query(String tradeNo) throws Exception {
        return call("/v1/checkout/query", Map.of("tradeNo", tradeNo));
    }
    static String refund(String tradeNo, String refundNo, String amount) throws Exception {
        return call("/v1/refund", Map.of("tradeNo", tradeNo, "refundNo", refundNo, "amount", amount));
    }

    static String charge(String tradeNo, String amount, String customerId, String cardToken, String notifyUrl, String reason) throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("tradeNo", tradeNo);
        fields.put("amount", amount);
        fields.put("currency", "USD");
        fields.put("customerId", customerId);
        fields.put("cardToken", cardToken);
        fields.put("notifyUrl", notifyUrl);
        fields.put("reason", reason);
        return call("/v1/charge", fields);
    }

    static String cards(String customerId) throws Exception {
        return call("/v1/card/list", Map.of("customerId", customerId));
    }

    static String deleteCard(String cardToken) throws Exception {
        return call("/v1/card/delete", Map.of("cardToken", cardToken));
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "sign" -> {
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = 1; i < args.length; i++) fields.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
                System.out.println(sign(fields, APP_SECRET));
            }
            case "checkout" -> System.out.println(checkout(args[1], args[2], args[3], args[4]));
            case "listen" -> listen(Integer.parseInt(args[1]));
            case "query" -> System.out.println(query(args[1]));
            case "refund" -> System.out.println(refund(args[1], args[2], args[3]));
            case "charge" -> System.out.println(charge(args[1], args[2], args[3], args[4], args[5], args[6]));
            case "cards" -> System.out.println(cards(args[1]));
            case "delete-card" -> System.out.println(deleteCard(args[1]));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }
}
