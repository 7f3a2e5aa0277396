/** The workings of {@code dev.jstomp.micrometer}; not public API, may change in any release. */
@NullMarked
package dev.jstomp.internal.micrometer;

import org.jspecify.annotations.NullMarked;
