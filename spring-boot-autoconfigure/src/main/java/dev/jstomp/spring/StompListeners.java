package dev.jstomp.spring;

import java.util.Set;

/**
 * The {@link StompListener} methods of the application, by id, to start and stop at run time (for
 * example those with {@code autoStartup = "false"}). A started listener is subscribed as soon as the
 * client is connected; a stopped one is unsubscribed.
 */
public interface StompListeners {

    /** The ids of every listener ({@code BeanClass.method} unless {@link StompListener#id()} names one). */
    Set<String> ids();

    /**
     * Subscribes a listener (every one of its {@code concurrency} subscriptions); a no-op when running.
     *
     * @param id the listener's id
     * @throws IllegalArgumentException when no listener has that id
     */
    void start(String id);

    /**
     * Unsubscribes a listener; a no-op when stopped. A call under way finishes.
     *
     * @param id the listener's id
     * @throws IllegalArgumentException when no listener has that id
     */
    void stop(String id);

    /**
     * Whether a listener is started (subscribed, or to be subscribed once connected).
     *
     * @param id the listener's id
     * @return whether it is started
     * @throws IllegalArgumentException when no listener has that id
     */
    boolean isRunning(String id);
}
