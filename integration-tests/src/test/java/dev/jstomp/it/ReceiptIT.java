package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.StompClient;
import dev.jstomp.StompErrorFrameException;
import dev.jstomp.StompFrame;
import dev.jstomp.test.EmbeddedStompBroker;

/** Receipts on the embedded Artemis: a processed SEND is receipted; a refused one fails its future. */
class ReceiptIT {

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sendWithReceiptCompletesOffTheIoThread(Transport transport) throws Exception {
        ExecutorService callbacks = Executors.newSingleThreadExecutor(task -> new Thread(task, "test-callbacks"));
        try (StompClient client = transport.client(broker).callbackExecutor(callbacks)) {
            client.connectAsync(Map.of("login", broker.login(), "passcode", broker.passcode())).get(10, TimeUnit.SECONDS);
            // The callback thread waits until the dependent is registered: a RECEIPT completed on the callback
            // executor cannot beat it (a future completed already runs a late dependent on the caller).
            CountDownLatch registered = new CountDownLatch(1);
            callbacks.execute(() -> {
                try {
                    registered.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            CompletableFuture<String> thread = client.sendWithReceipt(transport.queue("receipt"), Map.of(), "x")
                    .thenApply(receipt -> {
                        assertThat(receipt.command()).isEqualTo("RECEIPT");
                        return Thread.currentThread().getName();
                    });
            registered.countDown();
            assertThat(thread.get(10, TimeUnit.SECONDS)).isEqualTo("test-callbacks");
        } finally {
            callbacks.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void watchForReceiptOnASubscribe(Transport transport) throws Exception {
        try (StompClient client = transport.connected(broker)) {
            CompletableFuture<StompFrame> receipt = client.watchForReceipt("sub-receipt-1");
            client.subscribe(transport.queue("receipt-sub"), m -> { }, Map.of("receipt", "sub-receipt-1"));
            assertThat(receipt.get(10, TimeUnit.SECONDS).header("receipt-id")).isEqualTo("sub-receipt-1");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void refusedSendFailsItsReceipt(Transport transport) throws Exception {
        try (StompClient client = transport.connected(broker)) {
            CompletableFuture<StompFrame> receipt =
                    client.sendWithReceipt("/queue/forbidden.receipt", Map.of(), "not allowed");
            assertThatThrownBy(() -> receipt.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StompErrorFrameException.class).hasMessageContaining("sent ERROR");
        }
    }
}
