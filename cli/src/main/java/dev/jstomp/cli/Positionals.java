package dev.jstomp.cli;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Splits {@code [URL] DEST [BODY]}: the URL is optional, so the first argument is taken as one only when
 * it looks like one (it has a scheme, or is a {@code host:port} missing its scheme).
 */
record Positionals(@Nullable String url, List<String> rest) {

    static Positionals split(@Nullable List<String> args) {
        List<String> all = args == null ? List.of() : List.copyOf(args);
        if (!all.isEmpty() && (BrokerUrl.looksLikeUrl(all.get(0)) || BrokerUrl.looksLikeHostPort(all.get(0)))) {
            return new Positionals(all.get(0), all.subList(1, all.size()));
        }
        return new Positionals(null, all);
    }

    /** The argument after the URL at this index, or {@code null}. */
    @Nullable String at(int index) {
        return index < rest.size() ? rest.get(index) : null;
    }
}
