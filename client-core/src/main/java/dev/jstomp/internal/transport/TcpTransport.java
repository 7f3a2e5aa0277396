package dev.jstomp.internal.transport;

import java.time.Duration;

import org.springframework.messaging.simp.stomp.ConnectionHandlingStompSession;
import org.springframework.messaging.simp.stomp.ReactorNettyTcpStompClient;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSessionHandler;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.messaging.tcp.TcpConnection;
import org.springframework.messaging.tcp.reactor.ReactorNettyTcpClient;

import dev.jstomp.internal.frame.Frame;
import io.netty.channel.ChannelOption;
import reactor.netty.tcp.TcpClient;

/**
 * Raw TCP through Spring's {@code ReactorNettyTcpStompClient}. The Reactor Netty client is built from a
 * {@code TcpClient} on Reactor Netty's shared event loops, so a jstomp client adds no I/O threads of its
 * own; Spring's dispatch scheduler is released by {@link #shutdown()}.
 */
public final class TcpTransport implements Transport {

    private static final StompSessionHandler UNUSED = new StompSessionHandlerAdapter() { };

    private final String host;
    private final int port;
    private final ReactorNettyTcpClient<byte[]> tcpClient;

    public TcpTransport(String host, int port, int maxFrameSize, Duration connectTimeout) {
        this.host = host;
        this.port = port;
        TcpClient client = TcpClient.newConnection()
                .host(host)
                .port(port)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        this.tcpClient = new ReactorNettyTcpClient<>(client, new SizeLimitedStompCodec(maxFrameSize));
    }

    @Override
    public String describe() {
        return host + ":" + port + " (TCP)";
    }

    @Override
    public void open(TransportHandler handler) {
        SpringSessionAdapter session = new SpringSessionAdapter(handler, TcpSink::new);
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

    /** Netty writes asynchronously, in order; a failed write also fails the connection, which we see. */
    private record TcpSink(TcpConnection<byte[]> connection) implements FrameSink {

        @Override
        public void write(Frame frame) {
            connection.sendAsync(StompMessages.toMessage(frame));
        }

        @Override
        public void writeHeartbeat() {
            connection.sendAsync(StompMessages.HEARTBEAT);
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
