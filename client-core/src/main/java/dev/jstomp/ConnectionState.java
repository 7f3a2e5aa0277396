package dev.jstomp;

/** The life cycle of a {@link StompClient}'s connection, as reported to {@link StompClient#onStateChange}. */
public enum ConnectionState {
    /** Opening the transport and waiting for CONNECTED. */
    CONNECTING,
    /** CONNECTED was received; frames flow. */
    CONNECTED,
    /** The connection was lost and an automatic reconnect is under way. */
    RECONNECTING,
    /** No connection: never connected, disconnected, failed, or closed. */
    DISCONNECTED
}
