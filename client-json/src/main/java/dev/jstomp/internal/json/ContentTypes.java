package dev.jstomp.internal.json;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The {@code content-type} decisions of client-json. STOMP header names are case-sensitive, but senders
 * write {@code Content-Type} often enough that a caller's header of any case is honoured, in and out.
 */
public final class ContentTypes {

    /** The header name as STOMP spells it. */
    public static final String HEADER = "content-type";

    /** What {@code send} writes unless the caller set a content-type. */
    public static final String JSON_UTF8 = "application/json;charset=UTF-8";

    private ContentTypes() {
    }

    /**
     * The frame's content-type: the {@code content-type} header, or failing that the first header whose name
     * is {@code content-type} in another case.
     *
     * @return the value, or {@code null} when there is none
     */
    public static @Nullable String find(Map<String, String> headers) {
        String exact = headers.get(HEADER);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (HEADER.equalsIgnoreCase(header.getKey())) {
                return header.getValue();
            }
        }
        return null;
    }

    /**
     * Whether a content-type says the body is JSON: {@code application/json}, any {@code +json} type such as
     * {@code application/vnd.acme.order+json}, or {@code text/json}; parameters and case are ignored. An
     * absent or blank content-type counts as JSON: many senders set none.
     */
    public static boolean isJson(@Nullable String contentType) {
        String type = mediaType(contentType);
        if (type.isEmpty()) {
            return true;
        }
        int slash = type.indexOf('/');
        String subtype = slash < 0 ? "" : type.substring(slash + 1);
        return subtype.equals("json") || subtype.endsWith("+json");
    }

    /** The media type alone ({@code type/subtype}), lower case, without parameters; {@code ""} when absent. */
    static String mediaType(@Nullable String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The charset a content-type names, for example {@code ISO-8859-1} in {@code application/json;charset=ISO-8859-1}.
     *
     * @return the charset name as written (quotes removed), or {@code null} when the content-type names none
     */
    public static @Nullable String charsetName(@Nullable String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
                String value = parameter.substring(equals + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    /** Whether a charset name means UTF-8 (then the bytes go to Jackson as they are). */
    public static boolean isUtf8(@Nullable String charsetName) {
        if (charsetName == null) {
            return true;
        }
        try {
            return Charset.forName(charsetName).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    /**
     * SEND headers for a JSON body: the caller's headers, in order, plus {@link #JSON_UTF8} at the end unless
     * the caller set a content-type (in any case).
     */
    public static Map<String, String> withJsonContentType(Map<String, String> headers) {
        Map<String, String> result = new LinkedHashMap<>(headers);
        if (find(headers) == null) {
            result.put(HEADER, JSON_UTF8);
        }
        return result;
    }
}
