package dev.jstomp.test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The fake server's sockets: a Netty server on one daemon event-loop thread, raw TCP or WebSocket (any
 * path, the STOMP sub-protocols), handing each connection's bytes to its {@link FakeConnection}.
 */
final class FakeTransport {

    /** Large enough for any frame a test sends; Artemis's default is 64 KiB, jstomp splits above that. */
    private static final int MAX_WEBSOCKET_FRAME = 64 * 1024 * 1024;

    private final EventLoopGroup group;
    private final ChannelGroup channels;
    private final Channel server;

    private FakeTransport(EventLoopGroup group, ChannelGroup channels, Channel server) {
        this.group = group;
        this.channels = channels;
        this.server = server;
    }

    static FakeTransport start(boolean webSocket, Function<FakeConnection.Output, FakeConnection> connections) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jstomp-fake-server", true),
                NioIoHandler.newFactory());
        ChannelGroup channels = new DefaultChannelGroup(group.next());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channels.add(channel);
                            if (webSocket) {
                                channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                        new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                                .websocketPath("/").checkStartsWith(true)
                                                .subprotocols("v12.stomp,v11.stomp,v10.stomp")
                                                .maxFramePayloadLength(MAX_WEBSOCKET_FRAME)
                                                .build()),
                                        new StompBytes(true, connections));
                            } else {
                                channel.pipeline().addLast(new StompBytes(false, connections));
                            }
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            return new FakeTransport(group, channels, server);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("Interrupted while starting the fake STOMP server", e);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("Could not start the fake STOMP server on a loopback port", e);
        }
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    void close(Duration within) {
        server.close().awaitUninterruptibly(within.toMillis());
        channels.close().awaitUninterruptibly(within.toMillis());
        group.shutdownGracefully(0, within.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly(within.toMillis());
    }

    /** Turns a channel's bytes (or WebSocket messages) into {@link FakeConnection} calls, and its writes into bytes. */
    private static final class StompBytes extends ChannelInboundHandlerAdapter implements FakeConnection.Output {
        private final boolean webSocket;
        private final Function<FakeConnection.Output, FakeConnection> connections;
        private @Nullable ChannelHandlerContext context;
        private @Nullable FakeConnection connection;
        private @Nullable ScheduledFuture<?> beats;

        StompBytes(boolean webSocket, Function<FakeConnection.Output, FakeConnection> connections) {
            this.webSocket = webSocket;
            this.connections = connections;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (!webSocket) {
                open(ctx);
            }
            super.channelActive(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                open(ctx);
            }
            super.userEventTriggered(ctx, event);
        }

        private void open(ChannelHandlerContext ctx) {
            context = ctx;
            FakeConnection opened = connections.apply(this);
            connection = opened;
            opened.opened();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ByteBuf bytes = message instanceof WebSocketFrame frame ? frame.content()
                    : message instanceof ByteBuf buf ? buf : null;
            try {
                FakeConnection current = connection;
                if (bytes != null && current != null) {
                    current.read(bytes.nioBuffer());
                }
            } finally {
                io.netty.util.ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            ScheduledFuture<?> beating = beats;
            if (beating != null) {
                beating.cancel(false);
            }
            FakeConnection current = connection;
            if (current != null) {
                current.closed();
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset by the client, mostly: the connection is over either way
        }

        @Override
        public void write(byte[] bytes) {
            ChannelHandlerContext ctx = context;
            if (ctx != null && ctx.channel().isActive()) {
                ByteBuf buf = Unpooled.wrappedBuffer(bytes);
                ctx.writeAndFlush(webSocket ? new BinaryWebSocketFrame(buf) : buf);
            }
        }

        @Override
        public void drop() {
            ChannelHandlerContext ctx = context;
            if (ctx != null) {
                ctx.channel().close();
            }
        }

        @Override
        public void every(long periodMillis, Runnable task) {
            ChannelHandlerContext ctx = context;
            if (ctx != null) {
                beats = ctx.executor().scheduleAtFixedRate(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
            }
        }
    }
}
