/** The workings of {@code dev.jstomp.json}; not public API, may change in any release. */
@NullMarked
package dev.jstomp.internal.json;

import org.jspecify.annotations.NullMarked;
