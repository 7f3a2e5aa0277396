package dev.jstomp.it;

import java.util.LinkedHashMap;
import java.util.Map;

/** Joins header maps (a helper's headers plus the test's own), later ones winning. */
final class HeaderMaps {

    private HeaderMaps() {
    }

    @SafeVarargs
    static Map<String, String> merge(Map<String, String>... parts) {
        Map<String, String> all = new LinkedHashMap<>();
        for (Map<String, String> part : parts) {
            all.putAll(part);
        }
        return all;
    }
}
