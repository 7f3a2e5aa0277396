package dev.jstomp.spring;

import java.util.List;

/** A JSON payload of the tests. */
record Order(String id, int quantity, List<String> items) {
}
