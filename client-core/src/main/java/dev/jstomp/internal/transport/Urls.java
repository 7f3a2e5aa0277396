package dev.jstomp.internal.transport;

import java.net.URI;

/** URL helpers that keep credentials out of messages. */
public final class Urls {

    private Urls() {
    }

    /** The URI as text, without any {@code user:password@} part. */
    public static String withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        String text = uri.toString();
        return text.replace(uri.getRawUserInfo() + "@", "");
    }
}
