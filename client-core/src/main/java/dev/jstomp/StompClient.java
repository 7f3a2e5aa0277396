package dev.jstomp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * A STOMP client with the stomp.js API. Create one with {@link Stomp}.
 *
 * <pre>{@code
 * try (StompClient client = Stomp.client("ws://localhost:15674/ws")) {
 *     client.heartbeat().outgoing(20_000).incoming(20_000);
 *     client.connect("guest", "guest", frame -> {
 *         client.subscribe("/queue/test", message -> System.out.println(message.body()));
 *         client.send("/queue/test", Map.of(), "Hello, STOMP");
 *     }, error -> System.err.println(error.message()));
 *     ...
 * }
 * }</pre>
 *
 * <h2>Configuration</h2>
 * Settings ({@link #heartbeat()}, {@link #debug}, timeouts, limits, executor) are set before
 * {@code connect} and frozen while a connection is open or being opened: changing one then throws
 * {@link IllegalStateException}.
 *
 * <h2>Threading</h2>
 * <ul>
 *   <li>{@code connect} returns at once; the outcome arrives on a callback (or the future of
 *       {@link #connectAsync}).</li>
 *   <li>{@code send}, {@code subscribe}, {@code unsubscribe}, {@code begin}, {@code commit},
 *       {@code abort}, {@code ack} and {@code nack} are thread-safe and never block on the network
 *       while the outbound buffer has room: frames are queued and written in order by a writer. When
 *       the buffer is full they wait for room up to the {@link #sendTimeout}, then throw
 *       {@link StompTimeoutException} (see {@link #outboundBufferLimit}).</li>
 *   <li>Callbacks never run on an I/O thread. They run on the callback executor (by default a small
 *       pool of daemon threads the client owns; see {@link #callbackExecutor}). The callbacks of one
 *       subscription run one at a time, in arrival order; blocking in one only delays that subscription.
 *       Connection callbacks ({@code connectCallback}, {@code errorCallback}, state changes) run one at
 *       a time, in order, too.</li>
 *   <li>A callback that throws is logged (SLF4J, WARN); the subscription and the connection go on.</li>
 *   <li>The {@link #debug} hook is called in frame order from a thread of its own lane.</li>
 * </ul>
 *
 * <h2>Resources</h2>
 * Clients own no threads: they run on {@link StompResources}, by default the JVM's shared ones (a fixed
 * set of daemon threads, whatever the number of clients; see {@link #resources}). {@link #close()}
 * disconnects and gives them back; a closed client cannot connect again.
 */
public interface StompClient extends AutoCloseable {

    // --- configuration ---

    /** Heart-beat settings (default 10,000 ms both ways): {@code client.heartbeat().outgoing(20_000)}. */
    Heartbeat heartbeat();

    /**
     * Sets the frame-level debug hook, as stomp.js's {@code client.debug}: called once per frame with
     * {@code ">>> "} or {@code "<<< "} and the frame as text, {@code ">>> PING"}/{@code "<<< PONG"} for
     * heart-beats. The passcode is shown as {@code ***}; long bodies are cut with a marker.
     *
     * @param debug the hook, or {@code null} for none (the default)
     * @return this client
     */
    StompClient debug(@Nullable Consumer<String> debug);

    /**
     * Turns automatic reconnection on: after a lost connection the client reconnects after this delay,
     * then backs off exponentially (with jitter, up to 30 s), subscribes again with the same ids, and
     * calls {@code connectCallback} again. {@link #disconnect()} and {@link #close()} stop it. With several
     * URLs each backs off on its own (doubling per failed attempt in a row), and the next attempt goes to the
     * next URL in turn whose wait ends first, so a dead node does not delay reconnecting to a live one.
     *
     * @param millis the first delay; 0 (the default) for no automatic reconnect
     * @return this client
     */
    StompClient reconnectDelay(long millis);

    /**
     * Caps the exponential back-off between reconnect attempts (default 30 s).
     *
     * @param millis the largest delay
     * @return this client
     */
    StompClient reconnectMaxDelay(long millis);

    /**
     * Limits the number of reconnect attempts after a loss (default 0: unlimited). When they are used up
     * the client goes to {@code DISCONNECTED} and held sends are handed to {@link #onUnsent}.
     *
     * @param attempts the limit, 0 for none
     * @return this client
     */
    StompClient reconnectMaxAttempts(int attempts);

    /** The number of the reconnect attempt under way or scheduled; 0 when not reconnecting. */
    int reconnectAttempt();

    /**
     * Bounds the sends held while {@code RECONNECTING} (default 10,000 messages and 64 MiB of bodies).
     * Held sends go out in order after the resubscriptions; past the bound {@code send} throws
     * {@link StompConnectionException} at once.
     *
     * @param messages the most frames held
     * @param bytes the most body bytes held
     * @return this client
     */
    StompClient heldSendLimit(int messages, long bytes);

    /**
     * Receives the held frames that will never be sent (on {@code close}, {@code disconnect}, or when
     * reconnecting gives up). Without a handler they are counted in a WARN log line. Held sends that
     * asked for a receipt also have their futures failed.
     *
     * @param handler the handler, or {@code null} to log
     * @return this client
     */
    StompClient onUnsent(@Nullable Consumer<List<StompFrame>> handler);

    /**
     * Hears {@code true} when the broker's heart-beats are late (1.5 negotiated intervals of silence),
     * before the connection is declared dead (at {@link Heartbeat#tolerance()} intervals), and
     * {@code false} when traffic resumes: the cue to show "connection unstable".
     *
     * @param listener the listener, or {@code null}
     * @return this client
     */
    StompClient onConnectionDegraded(@Nullable Consumer<Boolean> listener);

    /**
     * Uses this TLS context for {@code wss://} and {@code stomp+ssl://} connections instead of the JVM's
     * default trust store. Host names are verified either way.
     *
     * @param sslContext the context, or {@code null} for the JVM default
     * @return this client
     */
    StompClient sslContext(javax.net.ssl.@Nullable SSLContext sslContext);

    /**
     * Receives MESSAGE frames that match no live subscription, as @stomp/stompjs's
     * {@code onUnhandledMessage}: RabbitMQ's {@code /temp-queue/} replies arrive this way. Runs on the
     * callback executor, one at a time. Without a handler such messages are logged at DEBUG and dropped.
     *
     * @param handler the handler, or {@code null}
     * @return this client
     */
    StompClient onUnhandledMessage(@Nullable Consumer<StompMessage> handler);

    /**
     * Sets a listener for connection state changes, called in order, never twice in a row with the
     * same state.
     *
     * @param listener the listener, or {@code null} for none
     * @return this client
     */
    StompClient onStateChange(@Nullable Consumer<ConnectionState> listener);

    /**
     * Sets the executor callbacks run on (ordering per subscription is kept on any executor). The
     * client does not shut down an executor it was given.
     *
     * @param executor the executor; {@code null} restores the client's own daemon pool
     * @return this client
     */
    StompClient callbackExecutor(@Nullable Executor executor);

    /**
     * Sets how long {@code connect} waits for the transport and the CONNECTED frame (default 10 s).
     *
     * @param timeout a positive duration
     * @return this client
     */
    StompClient connectTimeout(Duration timeout);

    /**
     * Sets how long {@code disconnect} (and a receipt future) waits for the broker's RECEIPT before closing
     * anyway, or failing the future (default 5 s). The time counts from the moment the frame is written to
     * the socket, not from when it was queued behind others.
     *
     * @param timeout a positive duration
     * @return this client
     */
    StompClient receiptTimeout(Duration timeout);

    /**
     * Runs this client on these resources (threads for I/O, timers and callbacks) instead of the JVM's
     * {@linkplain StompResources#shared() shared} ones; before the first {@code connect}. The client does
     * not close them: their owner does, after the clients that use them.
     *
     * @param resources resources from {@link StompResources#create()}
     * @return this client
     * @throws IllegalStateException when the client has connected already
     */
    StompClient resources(StompResources resources);

    /**
     * Bounds the bytes of frames sent on a connection but not yet written to the socket (default 32 MiB):
     * a producer faster than the network or the broker waits instead of filling the heap. When the buffer
     * is full, {@code send} and the other frame-producing calls ({@code sendWithReceipt}, {@code subscribe},
     * {@code unsubscribe}, {@code ack}, {@code nack}, {@code begin}, {@code commit}, {@code abort}) wait for
     * room up to {@link #sendTimeout}, then throw {@link StompTimeoutException}; nothing is dropped. A frame
     * counts for its body and header text plus a small overhead; one frame larger than the limit is let in
     * when the buffer is empty. Sends held while {@code RECONNECTING} are bounded by
     * {@link #heldSendLimit} instead.
     *
     * <p>Example: {@code client.outboundBufferLimit(8 * 1024 * 1024).sendTimeout(Duration.ofSeconds(5))}.
     *
     * @param bytes a positive size
     * @return this client
     */
    StompClient outboundBufferLimit(long bytes);

    /**
     * Sets how long a frame-producing call waits for room in a full outbound buffer before it throws
     * {@link StompTimeoutException} (default 30 s; {@link Duration#ZERO} = fail at once), like Kafka's
     * {@code max.block.ms}. See {@link #outboundBufferLimit}.
     *
     * @param timeout zero or a positive duration
     * @return this client
     */
    StompClient sendTimeout(Duration timeout);

    /**
     * Sets the largest inbound frame accepted (default 32 MiB, so a 16 MiB message passes with room for
     * headers). A larger frame closes the connection with a {@link StompProtocolException}.
     *
     * @param bytes a positive size
     * @return this client
     */
    StompClient maxFrameSize(int bytes);

    /**
     * WebSocket only: the largest WebSocket message jstomp sends (default 64 KiB, the default limit of
     * Artemis's acceptor). A larger frame is split across several messages, which STOMP allows and RabbitMQ
     * and Artemis reassemble; with those two brokers, frames written together are coalesced into messages up
     * to this size.
     *
     * @param bytes a positive size
     * @return this client
     */
    StompClient webSocketMessageSize(int bytes);

    /**
     * Sets a supplier of CONNECT headers run before every CONNECT: the first one and each reconnect's, as
     * stomp.js's {@code beforeConnect}. The headers it returns are added to those given to {@code connect}
     * and win over them, so a fresh token can go in as {@code passcode} on every attempt:
     * {@code client.beforeConnect(() -> Map.of("passcode", tokens.fresh()))}.
     *
     * <p>It runs on a thread of its own (never an I/O thread, never under the client's lock), so it may
     * block, for example to fetch a token; {@link #connectTimeout} does not count that time. If it throws
     * or returns headers CONNECT cannot carry, that attempt fails like a refused connection: the failure
     * goes to {@code errorCallback} (or the {@link #connectAsync} future) and, with {@link #reconnectDelay}
     * set, reconnecting goes on. Its header values are never logged, and a {@code passcode} is shown as
     * {@code ***} by {@link #debug}.
     *
     * @param supplier the supplier, or {@code null} for none (the default)
     * @return this client
     */
    StompClient beforeConnect(@Nullable Supplier<Map<String, String>> supplier);

    /**
     * Adds an observer of this client's frames, sends, deliveries and life cycle (metrics, tracing); see
     * {@link StompObserver}. Observers run in the order added; {@code deliver} wraps the first added
     * outermost. {@code jstomp-micrometer}'s {@code StompMetrics.bind} and {@code StompObservation.instrument}
     * call this.
     *
     * @param observer the observer
     * @return this client
     * @throws IllegalStateException when connected or connecting
     */
    StompClient observe(StompObserver observer);

    // --- connecting ---

    /**
     * Connects with a login and passcode (stomp.js {@code connect(login, passcode, connectCallback)}).
     * Failures are logged; use a form with an {@code errorCallback} to handle them.
     *
     * @param login the login header
     * @param passcode the passcode header; never shown anywhere
     * @param connectCallback receives the CONNECTED frame
     */
    void connect(String login, String passcode, Consumer<StompFrame> connectCallback);

    /**
     * Connects with a login and passcode.
     *
     * @param login the login header
     * @param passcode the passcode header; never shown anywhere
     * @param connectCallback receives the CONNECTED frame
     * @param errorCallback receives connection failures, ERROR frames and connection losses
     */
    void connect(String login, String passcode, Consumer<StompFrame> connectCallback,
            Consumer<StompError> errorCallback);

    /**
     * Connects with a login, passcode and virtual host (the {@code host} header; RabbitMQ maps it to a vhost).
     *
     * @param login the login header
     * @param passcode the passcode header; never shown anywhere
     * @param connectCallback receives the CONNECTED frame
     * @param errorCallback receives connection failures, ERROR frames and connection losses
     * @param host the virtual host, for example {@code "/"}
     */
    void connect(String login, String passcode, Consumer<StompFrame> connectCallback,
            Consumer<StompError> errorCallback, String host);

    /**
     * Connects with CONNECT headers of the caller's choice.
     *
     * @param headers CONNECT headers ({@code login}, {@code passcode}, {@code host}, {@code client-id}, ...)
     * @param connectCallback receives the CONNECTED frame
     */
    void connect(Map<String, String> headers, Consumer<StompFrame> connectCallback);

    /**
     * Connects with CONNECT headers of the caller's choice.
     *
     * @param headers CONNECT headers
     * @param connectCallback receives the CONNECTED frame
     * @param errorCallback receives connection failures, ERROR frames and connection losses
     */
    void connect(Map<String, String> headers, Consumer<StompFrame> connectCallback,
            Consumer<StompError> errorCallback);

    /**
     * Connects and returns a future of the CONNECTED frame; it completes exceptionally with a
     * {@link StompException} when the connection cannot be made.
     *
     * @param headers CONNECT headers
     * @return the future CONNECTED frame
     * @throws IllegalArgumentException when a header value contains a line break (CONNECT cannot escape)
     * @throws IllegalStateException when already connected or connecting, or closed
     */
    CompletableFuture<StompFrame> connectAsync(Map<String, String> headers);

    /** True while a STOMP session is established. */
    boolean connected();

    /** The current connection state. */
    ConnectionState state();

    /**
     * The URL in use, exactly as it was given to {@code Stomp.client(...)} (without a {@code user:password@}
     * part, should it have one); with several URLs (failover) this tells which node the client is
     * connected to. {@code Stomp.overTCP(host, port)} gives {@code "tcp://host:port"}.
     *
     * @return the URL, or {@code null} when not connected
     */
    @Nullable String connectedTo();

    /**
     * Disconnects gracefully: DISCONNECT with a receipt, a bounded wait for the RECEIPT, then close.
     *
     * @param disconnectCallback runs when the connection is closed
     */
    void disconnect(Runnable disconnectCallback);

    /** Disconnects gracefully; returns at once. */
    void disconnect();

    /**
     * Disconnects gracefully.
     *
     * @return completes when the connection is closed; never exceptionally
     */
    CompletableFuture<Void> disconnectAsync();

    /**
     * Disconnects (waiting, bounded) and releases the client's threads. A no-op when already closed.
     * Never throws a checked exception.
     */
    @Override
    void close();

    // --- messaging ---

    /**
     * Sends a text message (UTF-8).
     *
     * @param destination where to send, for example {@code /queue/test}
     * @param headers extra SEND headers; values with {@code \n} or {@code :} are escaped (STOMP 1.2)
     * @param body the body
     * @throws StompConnectionException when not connected
     * @throws StompTimeoutException when the outbound buffer stayed full for the {@link #sendTimeout}
     */
    void send(String destination, Map<String, String> headers, String body);

    /**
     * Sends a binary message; over WebSocket it goes as a binary message, byte for byte.
     *
     * @param destination where to send
     * @param headers extra SEND headers
     * @param body the body; not copied, do not change it afterwards
     * @throws StompConnectionException when not connected
     * @throws StompTimeoutException when the outbound buffer stayed full for the {@link #sendTimeout}
     */
    void send(String destination, Map<String, String> headers, byte[] body);

    /**
     * Sends an empty message.
     *
     * @param destination where to send
     * @throws StompConnectionException when not connected
     */
    void send(String destination);

    /**
     * Sends a message asking for a receipt (a generated {@code receipt} header). The future completes
     * with the RECEIPT once the broker has processed the SEND, or exceptionally with a
     * {@link StompErrorFrameException} (the broker refused it), a {@link StompTimeoutException} (no
     * receipt within {@link #receiptTimeout}) or a {@link StompConnectionException} (the connection ended
     * first). Completion runs on the callback executor, never on an I/O thread. With reconnect on, a receipt
     * that times out on a connection that is otherwise up ends that connection as failed (the broker has
     * stopped confirming; RabbitMQ does this while a quorum queue elects a leader), so the client reconnects,
     * to the next URL when there are several; resend what was not receipted.
     *
     * @param destination where to send
     * @param headers extra SEND headers
     * @param body the body
     * @return the future RECEIPT frame
     * @throws StompConnectionException when not connected
     */
    CompletableFuture<StompFrame> sendWithReceipt(String destination, Map<String, String> headers, byte[] body);

    /**
     * Text form of {@link #sendWithReceipt(String, Map, byte[])}.
     *
     * @param destination where to send
     * @param headers extra SEND headers
     * @param body the body, sent as UTF-8
     * @return the future RECEIPT frame
     * @throws StompConnectionException when not connected
     */
    CompletableFuture<StompFrame> sendWithReceipt(String destination, Map<String, String> headers, String body);

    /**
     * Watches for a RECEIPT with the given id, as @stomp/stompjs's {@code watchForReceipt}: call it, then
     * send any frame (SUBSCRIBE, UNSUBSCRIBE via its headers, SEND...) carrying {@code receipt: id}. The
     * future completes as for {@link #sendWithReceipt(String, Map, byte[])}.
     *
     * @param receiptId the id the frame will carry
     * @return the future RECEIPT frame
     * @throws StompConnectionException when not connected
     */
    CompletableFuture<StompFrame> watchForReceipt(String receiptId);

    /**
     * Subscribes with {@code ack: auto}.
     *
     * @param destination what to subscribe to
     * @param callback receives each message
     * @return the subscription
     * @throws StompConnectionException when not connected
     */
    Subscription subscribe(String destination, Consumer<StompMessage> callback);

    /**
     * Subscribes with SUBSCRIBE headers, for example {@code Map.of("ack", "client-individual", "id", "orders")}.
     *
     * @param destination what to subscribe to
     * @param callback receives each message
     * @param headers extra SUBSCRIBE headers; {@code id} is generated when absent
     * @return the subscription
     * @throws IllegalArgumentException when the id is already in use
     * @throws StompConnectionException when not connected
     */
    Subscription subscribe(String destination, Consumer<StompMessage> callback, Map<String, String> headers);

    /**
     * Unsubscribes by id; unknown ids are ignored.
     *
     * @param id the subscription id
     */
    void unsubscribe(String id);

    /**
     * Unsubscribes by id with extra UNSUBSCRIBE headers, for example to remove a durable subscription
     * (see {@link SubscribeHeaders#durable}).
     *
     * @param id the subscription id
     * @param headers extra UNSUBSCRIBE headers
     */
    void unsubscribe(String id, Map<String, String> headers);

    /**
     * Begins a transaction with a generated id.
     *
     * @return the transaction
     * @throws StompConnectionException when not connected
     */
    Transaction begin();

    /**
     * Begins a transaction with the given id.
     *
     * @param id the transaction id; must not be open already
     * @return the transaction
     * @throws StompConnectionException when not connected
     */
    Transaction begin(String id);
}
