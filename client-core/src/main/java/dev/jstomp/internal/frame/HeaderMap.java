package dev.jstomp.internal.frame;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The headers of a received frame: names and values side by side in one array, in the order they came,
 * read-only once the parser has built it. A frame has a handful of headers, so a linear scan finds one as
 * fast as hashing, and the map costs two objects instead of a {@code LinkedHashMap}'s one per header plus
 * its table and an unmodifiable view.
 *
 * <p>Past {@link #LINEAR_LIMIT} headers it moves them into a {@code LinkedHashMap}, so that a frame with
 * very many headers (a broker's, or a hostile peer's) costs linear time to read, not quadratic.
 */
final class HeaderMap extends AbstractMap<String, String> {

    /** Headers kept in the flat array; more go into a hash map. */
    static final int LINEAR_LIMIT = 16;

    /** name0, value0, name1, value1, ... */
    private String[] entries = new String[2 * 10];
    private int size;
    private LinkedHashMap<String, String> many;

    /** The first of a repeated header wins (STOMP 1.2): false, and no change, when the name is there already. */
    boolean addIfAbsent(String name, String value) {
        if (many != null) {
            return many.putIfAbsent(name, value) == null;
        }
        if (indexOf(name) >= 0) {
            return false;
        }
        if (size == LINEAR_LIMIT) {
            many = new LinkedHashMap<>(4 * LINEAR_LIMIT);
            for (int i = 0; i < size; i++) {
                many.put(entries[2 * i], entries[2 * i + 1]);
            }
            entries = null;
            many.put(name, value);
            return true;
        }
        if (2 * size == entries.length) {
            entries = Arrays.copyOf(entries, 2 * entries.length);
        }
        entries[2 * size] = name;
        entries[2 * size + 1] = value;
        size++;
        return true;
    }

    private int indexOf(Object name) {
        for (int i = 0; i < size; i++) {
            if (entries[2 * i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String get(Object name) {
        if (many != null) {
            return many.get(name);
        }
        int i = indexOf(name);
        return i < 0 ? null : entries[2 * i + 1];
    }

    @Override
    public boolean containsKey(Object name) {
        return many != null ? many.containsKey(name) : indexOf(name) >= 0;
    }

    @Override
    public int size() {
        return many != null ? many.size() : size;
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        if (many != null) {
            return java.util.Collections.unmodifiableMap(many).entrySet();
        }
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Map.Entry<String, String> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(entries[2 * i], entries[2 * i + 1]);
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    @Override
    public void forEach(java.util.function.BiConsumer<? super String, ? super String> action) {
        if (many != null) {
            many.forEach(action);
            return;
        }
        for (int i = 0; i < size; i++) {
            action.accept(entries[2 * i], entries[2 * i + 1]);
        }
    }

    // AbstractMap's put/remove/clear throw UnsupportedOperationException, and its entry set has no remove.
}
