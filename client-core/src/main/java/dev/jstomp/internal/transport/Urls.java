package dev.jstomp.internal.transport;

import java.net.URI;

/** URL helpers that keep credentials out of messages. */
public final class Urls {

    private Urls() {
    }

    /** The URI as text, without any {@code user:password@} part. */
    public static String withoutUserInfo(URI uri) {
        return withoutUserInfo(uri.toString());
    }

    /**
     * The URL text without a {@code user:password@} part, even when {@code java.net.URI} cannot parse the
     * authority (an underscore in the host, say) or the password itself contains {@code @}.
     */
    public static String withoutUserInfo(String url) {
        int start = url.indexOf("//");
        if (start < 0) {
            return url;
        }
        int end = url.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int at = url.indexOf(c, start + 2);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        int userInfoEnd = url.lastIndexOf('@', end - 1);
        if (userInfoEnd < start + 2) {
            return url;
        }
        return url.substring(0, start + 2) + url.substring(userInfoEnd + 1);
    }
}
