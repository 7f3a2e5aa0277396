package dev.jstomp.internal.transport;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.simp.stomp.ConnectionHandlingStompSession;
import org.springframework.messaging.simp.stomp.ReactorNettyTcpStompClient;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSessionHandler;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.messaging.tcp.TcpConnection;
import org.springframework.messaging.tcp.reactor.ReactorNettyTcpClient;

import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.FrameEncoder;
import dev.jstomp.StompConnectionException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import reactor.netty.tcp.TcpClient;

/**
 * Raw TCP through Spring's {@code ReactorNettyTcpStompClient}. The Reactor Netty client is built from a
 * {@code TcpClient} on Reactor Netty's shared event loops, so a jstomp client adds no I/O threads of its
 * own; Spring's dispatch scheduler is released by {@link #shutdown()}.
 */
public final class TcpTransport implements Transport {

    private static final StompSessionHandler UNUSED = new StompSessionHandlerAdapter() { };
    private static final String WRITABILITY = "jstomp.writability";

    private final String host;
    private final int port;
    private final ReactorNettyTcpClient<byte[]> tcpClient;
    private final InboundFrameCodec codec;
    private volatile @Nullable TransportHandler handler;

    private final boolean tls;
    private final AtomicReference<Channel> channel = new AtomicReference<>();

    /**
     * @param tls whether to speak TLS (with host name verification)
     * @param sslContext the user's TLS context, or {@code null} for the JVM default trust store
     */
    public TcpTransport(String host, int port, int maxFrameSize, Duration connectTimeout, boolean tls,
            @Nullable SSLContext sslContext) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        TcpClient client = TcpClient.newConnection()
                .host(host)
                .port(port)
                .doOnConnected(connection -> {
                    connection.addHandlerLast(WRITABILITY, new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                            TransportHandler current = handler;
                            if (ctx.channel().isWritable() && current != null) {
                                current.onWritable();
                            }
                            ctx.fireChannelWritabilityChanged();
                        }
                    });
                    channel.set(connection.channel());
                })
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        if (tls) {
            SslContext context = nettyContext(sslContext);
            client = client.secure(spec -> spec.sslContext(context).handlerConfigurator(TcpTransport::verifyHostName));
        }
        this.codec = new InboundFrameCodec(maxFrameSize);
        this.tcpClient = new ReactorNettyTcpClient<>(client, codec);
    }

    private static SslContext nettyContext(@Nullable SSLContext sslContext) {
        if (sslContext != null) {
            return new JdkSslContext(sslContext, true, ClientAuth.NONE);
        }
        try {
            return SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new StompConnectionException("Cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Netty checks certificates but not host names unless asked; a client must. */
    private static void verifyHostName(SslHandler handler) {
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
    }

    @Override
    public String describe() {
        return host + ":" + port + (tls ? " (TCP with TLS)" : " (TCP)");
    }

    @Override
    public void open(TransportHandler handler) {
        this.handler = handler;
        codec.deliverTo(handler);
        SpringSessionAdapter session = new SpringSessionAdapter(handler, connection -> new TcpSink(connection, channel));
        try {
            new ReactorNettyTcpStompClient(tcpClient) {
                @Override
                protected ConnectionHandlingStompSession createSession(StompHeaders headers, StompSessionHandler h) {
                    return session;
                }
            }.connectAsync(null, UNUSED);
        } catch (RuntimeException e) {
            handler.onOpenFailure(e);
        }
    }

    @Override
    public void shutdown() {
        tcpClient.shutdownAsync();
    }

    /**
     * Encodes frames straight into a pooled I/O buffer (the body's one copy on the way out) and writes
     * each batch to the Netty channel with one flush. Netty releases a buffer it cannot write (a channel
     * closing under us), where Spring's {@code sendAsync} leaks its pooled buffer in that race. Netty
     * writes in order; a failed write also fails the connection, which we see.
     *
     * <p>Only the connection's writer lane calls {@link #write} and {@link #flush}, and it flushes after
     * every run of writes, also once the connection is closed, so a batch is never left unreleased. The
     * lane runs on the channel's event loop and pauses while {@link #writable()} says no.
     */
    private static final class TcpSink implements FrameSink {

        /** Past this much pending, write without waiting for the end of the batch. */
        private static final int FLUSH_AT = 64 * 1024;

        private final TcpConnection<byte[]> connection;
        private final AtomicReference<Channel> channel;
        private @Nullable ByteBuf batch;
        /** What InboundBacklog last asked for; the read gate applies it on the event loop. */
        private volatile boolean readsPaused;

        TcpSink(TcpConnection<byte[]> connection, AtomicReference<Channel> channel) {
            this.connection = connection;
            this.channel = channel;
        }

        @Override
        public boolean pauseReading() {
            readsPaused = true;
            ReadGate.apply(channel(), () -> readsPaused);
            return true;
        }

        @Override
        public void resumeReading() {
            readsPaused = false;
            ReadGate.apply(channel(), () -> readsPaused);
        }

        /** Past Netty's high-water mark of unsent bytes the writer waits; a closed channel takes anything. */
        @Override
        public boolean writable() {
            Channel current = channel.get();
            return current == null || current.isWritable() || !current.isActive();
        }

        /** Netty writes never block, and a write from another thread would only be queued to this one. */
        @Override
        public Executor writeExecutor() {
            return channel().eventLoop();
        }

        @Override
        public boolean onWriterThread() {
            Channel current = channel.get();
            return current != null && current.eventLoop().inEventLoop();
        }

        @Override
        public void write(Frame frame) {
            int body = frame.bodyLength();
            if (body >= FLUSH_AT) {
                // A buffer of its own, sized once: growing the batch by doubling would copy the body again
                // and ask the allocator for twice the memory.
                flush();
                ByteBuf alone = channel().alloc().ioBuffer(body + 1024);
                try {
                    FrameEncoder.encode(frame, alone);
                } catch (RuntimeException e) {
                    alone.release();
                    throw e;
                }
                channel().writeAndFlush(alone, channel().voidPromise());
                return;
            }
            FrameEncoder.encode(frame, batch());
            if (batch().readableBytes() >= FLUSH_AT) {
                flush();
            }
        }

        @Override
        public void writeHeartbeat() {
            batch().writeByte('\n');
            flush();
        }

        private ByteBuf batch() {
            ByteBuf current = batch;
            if (current == null) {
                current = channel().alloc().ioBuffer(FLUSH_AT / 4);
                batch = current;
            }
            return current;
        }

        private Channel channel() {
            Channel current = channel.get();
            if (current == null) {
                // Reactor Netty reports the channel before Spring hands us the connection; never seen otherwise.
                throw new IllegalStateException("the TCP channel is not known yet");
            }
            return current;
        }

        @Override
        public void flush() {
            ByteBuf pending = batch;
            if (pending == null) {
                return;
            }
            batch = null;
            Channel current = channel();
            // Netty owns the buffer from here: written and released, or released when the write fails.
            current.writeAndFlush(pending, current.voidPromise());
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (RuntimeException e) {
                // Closed already: nothing left to release.
            }
        }
    }
}
