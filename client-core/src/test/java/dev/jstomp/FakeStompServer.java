package dev.jstomp;

import static dev.jstomp.Waiting.await;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A scripted STOMP server on a free loopback port, over raw TCP or WebSocket.
 *
 * <p>It exists for the protocol edge cases a real broker will not produce on demand: silence after
 * CONNECT, missed heart-beats, malformed or oversized frames, stray RECEIPTs, an ERROR at a chosen step.
 * Each accepted connection gets a {@link FakePeer}; the {@link Script} runs on a thread of its own, reads the
 * frames the client sent (headers exactly as on the wire, still escaped) and writes raw bytes. A server
 * that must stay silent simply writes nothing.
 */
public final class FakeStompServer implements AutoCloseable {

    /** The transport the server speaks. */
    public enum Mode { TCP, WEBSOCKET }

    /** What the server does with one connection. */
    @FunctionalInterface
    public interface Script {
        void run(FakePeer peer) throws Exception;
    }

    /** How long the helpers wait for the client before failing the test. */
    public static final Duration WAIT = Duration.ofSeconds(5);

    private final Mode mode;
    private final Script script;
    private final List<FakePeer> peers = new CopyOnWriteArrayList<>();
    private final BlockingQueue<FakePeer> newPeers = new LinkedBlockingQueue<>();
    private final List<Throwable> scriptFailures = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final ScheduledExecutorService beats =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("fake-stomp-beats", true));
    private volatile boolean closed;
    private int port;
    private @Nullable ServerSocket serverSocket;
    private @Nullable EventLoopGroup group;
    private @Nullable Channel serverChannel;

    private FakeStompServer(Mode mode, Script script) {
        this.mode = mode;
        this.script = script;
    }

    /** Starts a server that runs the script for every connection. */
    public static FakeStompServer start(Mode mode, Script script) {
        FakeStompServer server = new FakeStompServer(mode, script);
        try {
            if (mode == Mode.TCP) {
                server.startTcp();
            } else {
                server.startWebSocket();
            }
        } catch (Exception e) {
            server.close();
            throw new IllegalStateException("fake server did not start", e);
        }
        return server;
    }

    public Mode mode() {
        return mode;
    }

    public int port() {
        return port;
    }

    /** The URL a client uses: {@code tcp://127.0.0.1:PORT} or {@code ws://127.0.0.1:PORT/stomp}. */
    public String url() {
        return mode == Mode.TCP ? "tcp://127.0.0.1:" + port : "ws://127.0.0.1:" + port + "/stomp";
    }

    /** A new, unconnected client for this server, made through the public entry points. */
    public StompClient client() {
        return mode == Mode.TCP ? Stomp.overTCP("127.0.0.1", port) : Stomp.client(url());
    }

    /** The next connection accepted (in order), waiting for it. */
    public FakePeer awaitPeer() throws InterruptedException {
        FakePeer peer = newPeers.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (peer == null) {
            throw new AssertionError("no client connected to the fake server within " + WAIT);
        }
        return peer;
    }

    /** Connections accepted so far (TCP sockets, or WebSocket channels before the handshake). */
    public int connections() {
        return connections.get();
    }

    /** Bytes received over all connections. */
    public long bytesReceived() {
        return peers.stream().mapToLong(FakePeer::bytesReceived).sum();
    }

    /** Failures thrown by scripts (assertions on what the client sent), for tests to check. */
    public List<Throwable> scriptFailures() {
        return List.copyOf(scriptFailures);
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (serverSocket != null) {
                serverSocket.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        peers.forEach(FakePeer::serverClosing);
        peers.forEach(FakePeer::close);
        threads.forEach(Thread::interrupt);
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
        beats.shutdownNow();
    }

    /**
     * Test teardown: the server first, then, once the client has seen its connection go, the client; so
     * that close() does not race the broker's close.
     */
    public static void shutdown(@Nullable FakeStompServer server, @Nullable StompClient client) {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            try {
                await().atMost(Duration.ofSeconds(2)).until(() -> client.state() == ConnectionState.DISCONNECTED);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // close() copes; this only avoids a race
            }
            client.close();
        }
    }

    // --- frames a script writes ---

    /** A CONNECTED frame. */
    public static String connectedFrame(String version, String heartBeat) {
        return "CONNECTED\nversion:" + version + "\nheart-beat:" + heartBeat + "\nserver:fake\n\n\0";
    }

    /** A MESSAGE frame; extra header lines (already escaped) go after the standard ones. */
    public static String messageFrame(String subscription, String messageId, String body, String... extraHeaderLines) {
        StringBuilder frame = new StringBuilder("MESSAGE\nsubscription:").append(subscription)
                .append("\nmessage-id:").append(messageId).append("\ndestination:/queue/test\n");
        for (String line : extraHeaderLines) {
            frame.append(line).append('\n');
        }
        return frame.append('\n').append(body).append('\0').toString();
    }

    // --- transports ---

    private void startTcp() throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        serverSocket = socket;
        port = socket.getLocalPort();
        thread("fake-stomp-accept", () -> {
            while (!closed) {
                Socket accepted;
                try {
                    accepted = socket.accept();
                    accepted.setTcpNoDelay(true);
                } catch (IOException e) {
                    return;
                }
                connections.incrementAndGet();
                OutputStream out;
                InputStream in;
                try {
                    out = accepted.getOutputStream();
                    in = new BufferedInputStream(accepted.getInputStream());
                } catch (IOException e) {
                    continue;
                }
                FakePeer peer = new FakePeer((bytes, text) -> {
                    synchronized (out) {
                        out.write(bytes);
                        out.flush();
                    }
                }, () -> {
                    try {
                        accepted.close();
                    } catch (IOException ignored) {
                        // already closed
                    }
                }, beats);
                begin(peer, in);
            }
        });
    }

    private void startWebSocket() throws InterruptedException {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("fake-stomp-ws", true),
                NioIoHandler.newFactory());
        group = loops;
        ServerBootstrap bootstrap = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.incrementAndGet();
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/stomp", "v12.stomp,v11.stomp,v10.stomp", true,
                                        64 * 1024 * 1024),
                                new WebSocketPeerHandler());
                    }
                });
        Channel channel = bootstrap.bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        serverChannel = channel;
        port = ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Feeds WebSocket message payloads into a byte stream, so both transports share one frame reader. */
    private final class WebSocketPeerHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final ByteQueue bytes = new ByteQueue();
        private @Nullable FakePeer peer;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                Channel channel = ctx.channel();
                FakePeer.Output output = new FakePeer.Output() {
                    @Override
                    public void write(byte[] payload, boolean text) throws IOException {
                        writeFrame(text ? new TextWebSocketFrame(Unpooled.wrappedBuffer(payload))
                                : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload)));
                    }

                    @Override
                    public void writeFragments(List<byte[]> parts, boolean text) throws IOException {
                        for (int i = 0; i < parts.size(); i++) {
                            boolean last = i == parts.size() - 1;
                            ByteBuf part = Unpooled.wrappedBuffer(parts.get(i));
                            writeFrame(i > 0 ? new ContinuationWebSocketFrame(last, 0, part)
                                    : text ? new TextWebSocketFrame(last, 0, part)
                                    : new BinaryWebSocketFrame(last, 0, part));
                        }
                    }

                    private void writeFrame(WebSocketFrame frame) throws IOException {
                        ChannelFuture written = channel.writeAndFlush(frame);
                        if (!written.awaitUninterruptibly(WAIT.toMillis()) || !written.isSuccess()) {
                            throw new IOException("WebSocket write failed", written.cause());
                        }
                    }
                };
                FakePeer opened = new FakePeer(output, () -> {
                    if (channel.isActive() && !channel.eventLoop().isShuttingDown()) {
                        channel.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
                    }
                }, beats);
                peer = opened;
                begin(opened, bytes);
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            FakePeer current = peer;
            if (current != null) {
                current.countWebSocketMessage();
            }
            bytes.add(ByteBufUtil.getBytes(frame.content()));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            bytes.end();
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private void begin(FakePeer peer, InputStream in) {
        peers.add(peer);
        thread("fake-stomp-reader", () -> peer.readLoop(in));
        thread("fake-stomp-script", () -> {
            try {
                script.run(peer);
            } catch (InterruptedException e) {
                // server closing
            } catch (Throwable t) {
                if (!closed) {
                    scriptFailures.add(t);
                }
            }
        });
        newPeers.add(peer);
    }

    private void thread(String name, Runnable body) {
        Thread thread = new Thread(body, name + "-" + port);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** An InputStream fed by WebSocket messages. */
    private static final class ByteQueue extends InputStream {
        private static final byte[] END = new byte[0];
        private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        private byte @Nullable [] current;
        private int position;
        private boolean ended;

        void add(byte[] chunk) {
            if (chunk.length > 0) {
                chunks.add(chunk);
            }
        }

        void end() {
            chunks.add(END);
        }

        @Override
        public int read() throws IOException {
            while (current == null || position == current.length) {
                if (ended) {
                    return -1;
                }
                try {
                    current = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                position = 0;
                if (current == END) {
                    ended = true;
                    return -1;
                }
            }
            return current[position++] & 0xff;
        }
    }
}
