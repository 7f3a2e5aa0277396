package dev.jstomp.internal.transport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import org.jspecify.annotations.Nullable;

import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.FrameEncoder;
import dev.jstomp.StompConnectionException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import reactor.core.Disposable;
import reactor.netty.Connection;
import io.netty.channel.EventLoopGroup;
import reactor.netty.tcp.TcpClient;

/**
 * Raw TCP on Reactor Netty, on the event loops of the client's {@code StompResources}: every connection of
 * every client using those resources shares them, and a connection adds no thread. Reactor Netty directly
 * rather than Spring's {@code ReactorNettyTcpClient}, which starts a scheduler of its own per instance and
 * whose codec is shared by every connection of an instance (jstomp's parser keeps state per connection).
 * jstomp reads frames on the I/O thread itself ({@link InboundFrameCodec}) and writes encoded frames to the
 * channel ({@link TcpSink}), as it did through Spring.
 */
public final class TcpTransport implements Transport {

    private static final String WRITABILITY = "jstomp.writability";
    private static final String DECODER = "jstomp.decoder";

    private final String host;
    private final int port;
    private final int maxFrameSize;
    private final Duration connectTimeout;
    private final EventLoopGroup loops;
    private final @Nullable SslContext tlsContext;
    private final boolean tls;
    private final AtomicReference<Channel> channel = new AtomicReference<>();
    private volatile @Nullable Disposable connecting;

    /**
     * @param tls whether to speak TLS (with host name verification)
     * @param sslContext the user's TLS context, or {@code null} for the JVM default trust store
     * @param loops the event loops (shared by the connections of one {@code StompResources})
     */
    public TcpTransport(String host, int port, int maxFrameSize, Duration connectTimeout, boolean tls,
            @Nullable SSLContext sslContext, EventLoopGroup loops) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.maxFrameSize = maxFrameSize;
        this.connectTimeout = connectTimeout;
        this.loops = loops;
        this.tlsContext = tls ? nettyContext(sslContext) : null;
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
        InboundFrameCodec codec = new InboundFrameCodec(maxFrameSize);
        codec.deliverTo(handler);
        try {
            TcpClient client = TcpClient.newConnection()
                    .runOn(loops)
                    // Netty's resolver (the JDK's, as a Socket uses) rather than Reactor Netty's DNS client, which
                    // keeps state per event loop.
                    .resolver(DefaultAddressResolverGroup.INSTANCE)
                    .host(host)
                    .port(port)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            if (tlsContext != null) {
                SslContext context = tlsContext;
                client = client.secure(spec -> spec.sslContext(context).handlerConfigurator(TcpTransport::verifyHostName));
            }
            connecting = client.connect().subscribe(connection -> {
                // Before CONNECT is written, so before the broker can send a byte.
                channel.set(connection.channel());
                connection.addHandlerLast(DECODER, new Decoder(codec, handler));
                connection.addHandlerLast(WRITABILITY, new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                        if (ctx.channel().isWritable()) {
                            handler.onWritable();
                        }
                        ctx.fireChannelWritabilityChanged();
                    }
                });
                connection.onDispose(handler::onClosed);
                handler.onOpen(new TcpSink(connection, channel));
                // Reactor Netty reads on demand of its own receiver, which nobody subscribes to here: the decoder
                // takes every read, and the read gate (ReadGate) turns auto-read off while paused.
                connection.channel().config().setAutoRead(true);
            }, handler::onOpenFailure);
        } catch (RuntimeException e) {
            handler.onOpenFailure(e);
        }
    }

    /** The event loops are the resources' own; only a connect still under way is cancelled. */
    @Override
    public void shutdown() {
        Disposable attempt = connecting;
        if (attempt != null && channel.get() == null) {
            attempt.dispose();
        }
    }

    /**
     * Parses what each read brings (bytes of an incomplete frame head wait in Netty's cumulation) and hands
     * the frames to the connection here, on the I/O thread; nothing goes further down the pipeline.
     */
    private static final class Decoder extends ByteToMessageDecoder {

        private final InboundFrameCodec codec;
        private final TransportHandler handler;
        private boolean failed;

        Decoder(InboundFrameCodec codec, TransportHandler handler) {
            this.codec = codec;
            this.handler = handler;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (failed) {
                in.skipBytes(in.readableBytes());
                return;
            }
            try {
                codec.decode(in);
            } catch (RuntimeException e) {
                failed = true;
                in.skipBytes(in.readableBytes());
                handler.onFailure(e);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            handler.onFailure(cause);
        }
    }

    /**
     * Encodes the frames of each run of the writer lane into its thread's batch array and writes the batch
     * to the Netty channel with one flush, copied once into a pooled I/O buffer. The per-frame work is plain
     * Java on an array, which the JIT compiles small and once: encoding straight into Netty buffers put
     * Netty's buffer code (and, through its leak detector's sampled wrapper, a second buffer class) into
     * every compilation of the send path, which C2 then compiled three times in a young JVM. A body of
     * {@link #FLUSH_AT} bytes or more is encoded into I/O buffers of its own instead (of at most {@link #PIECE}
     * bytes, sizes Netty's allocator pools), so it is copied once and never grows a batch. Netty releases a buffer it cannot write (a channel closing under us), where
     * Spring's {@code sendAsync} leaks its pooled buffer in that race. Netty writes in order; a failed
     * write also fails the connection, which we see.
     *
     * <p>Only the connection's writer lane calls {@link #write} and {@link #flush}, and it flushes after
     * every run of writes, also once the connection is closed, so a batch never outlives its run. The lane
     * runs on the channel's event loop and pauses while {@link #writable()} says no.
     */
    private static final class TcpSink implements FrameSink {

        /** Past this much encoded and not written, write without waiting for the end of the run. */
        private static final int FLUSH_AT = 64 * 1024;
        /**
         * The largest I/O buffer a large frame is written in. Netty 4.2's allocator pools buffers up to 1 MiB
         * (its largest chunk over eight) and allocates a larger one as a fresh, zeroed direct ByteBuffer
         * with a cleaner: a 1 MiB body with its head in one buffer was that, for every message.
         */
        private static final int PIECE = 512 * 1024;
        /** The least I/O buffer a run's frames are copied into. */
        private static final int MIN_BUFFER = 16 * 1024;
        /** A batch array larger than this after a run (a frame with huge headers) is not kept. */
        private static final int KEEP = 256 * 1024;
        /** The writing thread's batch: one per event loop, whatever the number of connections on it. */
        private static final ThreadLocal<Pending> PENDING = ThreadLocal.withInitial(Pending::new);

        /** A thread's encoded frames, and the sink whose run they belong to. */
        private static final class Pending {
            final FrameEncoder.Batch frames = new FrameEncoder.Batch();
            @Nullable TcpSink owner;
        }

        private final Connection connection;
        private final AtomicReference<Channel> channel;
        /** What InboundBacklog last asked for; the read gate applies it on the event loop. */
        private volatile boolean readsPaused;

        TcpSink(Connection connection, AtomicReference<Channel> channel) {
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
            if (frame.bodyLength() >= FLUSH_AT) {
                writeAlone(frame);
                return;
            }
            Pending pending = pending();
            int start = pending.frames.size();
            try {
                FrameEncoder.encode(frame, pending.frames);
            } catch (RuntimeException e) {
                pending.frames.truncate(start); // no half frame left for the flush to send
                throw e;
            }
            if (pending.frames.size() >= FLUSH_AT) {
                flush();
            }
        }

        /** This thread's batch, for this sink's frames. */
        private Pending pending() {
            Pending pending = PENDING.get();
            TcpSink previous = pending.owner;
            if (previous != this) {
                if (previous != null) {
                    // Never seen: a run that ended without its flush. Its frames go to its own channel, and a
                    // failure there is that connection's, which fails on its own.
                    try {
                        previous.flush();
                    } catch (RuntimeException e) {
                        pending.frames.clear(KEEP);
                    }
                }
                pending.owner = this;
            }
            return pending;
        }

        /**
         * A large body: after what is batched (frames leave in order), straight into I/O buffers no larger
         * than {@link #PIECE}, written with one flush.
         */
        private void writeAlone(Frame frame) {
            flush();
            Channel current = channel();
            FrameEncoder.encode(frame, current.alloc(), PIECE, piece -> current.write(piece, current.voidPromise()));
            current.flush();
        }

        @Override
        public void writeHeartbeat() {
            flush();
            Channel current = channel();
            current.writeAndFlush(current.alloc().ioBuffer(1).writeByte('\n'), current.voidPromise());
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
            Pending pending = PENDING.get();
            if (pending.owner != this) {
                return; // nothing of this sink's is batched on this thread
            }
            pending.owner = null;
            int size = pending.frames.size();
            if (size == 0) {
                return;
            }
            Channel current;
            ByteBuf out;
            try {
                current = channel();
                // At least one size for every run, a lone ping or a full batch, as the batch buffers before
                // were: the allocator takes one path, which a young JVM has compiled by the time it is quiet.
                out = current.alloc().ioBuffer(Math.max(MIN_BUFFER, size));
                out.writeBytes(pending.frames.array(), 0, size);
            } finally {
                pending.frames.clear(KEEP); // whatever happens, these bytes never reach another sink's channel
            }
            // Netty owns the buffer from here: written and released, or released when the write fails.
            current.writeAndFlush(out, current.voidPromise());
        }

        @Override
        public void close() {
            connection.dispose(); // a no-op when closed already
        }
    }
}
