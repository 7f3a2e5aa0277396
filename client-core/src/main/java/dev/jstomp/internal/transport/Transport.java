package dev.jstomp.internal.transport;

/** A way to reach one broker address: WebSocket (Tyrus) or TCP (Reactor Netty), both through Spring. */
public interface Transport {

    /** The address and transport, for messages: {@code "ws://host:port/path (WebSocket)"}; never credentials. */
    String describe();

    /** Opens a connection; its events go to the handler, failures included. Never throws. */
    void open(TransportHandler handler);

    /** Releases what the transport owns (threads, pools). Open connections should be closed first. */
    void shutdown();
}
