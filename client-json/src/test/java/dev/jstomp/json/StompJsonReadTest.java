package dev.jstomp.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import dev.jstomp.internal.frame.Frame;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@link StompJson#read} and the mapper {@link StompJson#create()} sets up. */
class StompJsonReadTest {

    record Order(String id, BigDecimal price, int quantity) {
    }

    record Quote(String symbol, double bid, double ask) {
    }

    /** Validates in its constructor, as records often do. */
    record Percent(int value) {
        Percent {
            if (value < 0 || value > 100) {
                throw new IllegalArgumentException("not a percentage: " + value);
            }
        }
    }

    record Times(Instant instant, LocalDate date, LocalDateTime local, OffsetDateTime offset, ZonedDateTime zoned,
            Duration duration) {
    }

    /** A plain class with a no-argument constructor and setters, the pre-record way. */
    static final class Customer {
        private String name;
        private List<String> tags;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public List<String> getTags() {
            return tags;
        }

        public void setTags(List<String> tags) {
            this.tags = tags;
        }
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({@JsonSubTypes.Type(value = Buy.class, name = "buy"), @JsonSubTypes.Type(value = Sell.class, name = "sell")})
    sealed interface Command permits Buy, Sell {
    }

    record Buy(String symbol, int quantity) implements Command {
    }

    record Sell(String symbol, int quantity) implements Command {
    }

    private final StompJson json = StompJson.create();

    @Test
    void readsRecord() {
        Order order = json.read(TestMessage.of("{\"id\":\"o-1\",\"price\":12.50,\"quantity\":3}"), Order.class);
        assertThat(order).isEqualTo(new Order("o-1", new BigDecimal("12.50"), 3));
    }

    @Test
    void readsClassWithSetters() {
        Customer customer = json.read(TestMessage.of("{\"name\":\"Ada\",\"tags\":[\"vip\"]}"), Customer.class);
        assertThat(customer.getName()).isEqualTo("Ada");
        assertThat(customer.getTags()).containsExactly("vip");
    }

    @Test
    void readsGenericListAndMapThroughTypeReference() {
        List<Order> orders = json.read(TestMessage.of("[{\"id\":\"a\",\"price\":1,\"quantity\":1},"
                + "{\"id\":\"b\",\"price\":2,\"quantity\":2}]"), new TypeReference<List<Order>>() { });
        assertThat(orders).extracting(Order::id).containsExactly("a", "b");
        assertThat(orders.get(1)).isInstanceOf(Order.class);

        Map<String, Quote> quotes = json.read(TestMessage.of("{\"ACME\":{\"symbol\":\"ACME\",\"bid\":1.5,\"ask\":1.6}}"),
                new TypeReference<Map<String, Quote>>() { });
        assertThat(quotes).containsEntry("ACME", new Quote("ACME", 1.5, 1.6));
    }

    @Test
    void readsPolymorphicTypesTheMapperKnows() {
        Command command = json.read(TestMessage.of("{\"kind\":\"sell\",\"symbol\":\"ACME\",\"quantity\":5}"),
                Command.class);
        assertThat(command).isEqualTo(new Sell("ACME", 5));
        List<Command> commands = json.read(TestMessage.of("[{\"kind\":\"buy\",\"symbol\":\"X\",\"quantity\":1}]"),
                new TypeReference<List<Command>>() { });
        assertThat(commands).containsExactly(new Buy("X", 1));
    }

    @Test
    void javaTimeRoundTripsAsIsoStrings() {
        Times times = new Times(Instant.parse("2025-01-31T10:15:30.123456789Z"), LocalDate.of(2025, 1, 31),
                LocalDateTime.of(2025, 1, 31, 10, 15, 30), OffsetDateTime.parse("2025-01-31T10:15:30+02:00"),
                ZonedDateTime.parse("2025-01-31T10:15:30+01:00[Europe/Paris]"), Duration.ofSeconds(90));
        String written = json.mapper().writeValueAsString(times);
        assertThat(written).contains("\"instant\":\"2025-01-31T10:15:30.123456789Z\"", "\"date\":\"2025-01-31\"",
                "\"local\":\"2025-01-31T10:15:30\"", "\"offset\":\"2025-01-31T10:15:30+02:00\"",
                "\"duration\":\"PT1M30S\"");
        Times read = json.read(TestMessage.of(written), Times.class);
        assertThat(read.instant()).isEqualTo(times.instant());
        assertThat(read.date()).isEqualTo(times.date());
        assertThat(read.local()).isEqualTo(times.local());
        assertThat(read.offset()).isEqualTo(times.offset());
        assertThat(read.zoned().toInstant()).isEqualTo(times.zoned().toInstant());
        assertThat(read.duration()).isEqualTo(times.duration());
    }

    @Test
    void ignoresUnknownPropertiesLikeSpring() {
        Order order = json.read(TestMessage.of("{\"id\":\"o\",\"price\":1,\"quantity\":1,\"added\":true}"), Order.class);
        assertThat(order.id()).isEqualTo("o");
    }

    @Test
    void usesTheGivenMapper() {
        StompJson strict = StompJson.create(JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build());
        assertThatThrownBy(() -> strict.read(TestMessage.of("{\"id\":\"o\",\"price\":1,\"quantity\":1,\"added\":true}"), Order.class))
                .isInstanceOf(StompJsonException.class)
                .hasMessageContaining("added");
    }

    @Test
    void malformedJsonNamesDestinationMessageIdTypeAndProblem() {
        assertThatThrownBy(() -> json.read(TestMessage.of("{not json"), Order.class))
                .isInstanceOf(StompJsonException.class)
                .isInstanceOf(dev.jstomp.StompException.class)
                .hasCauseInstanceOf(JacksonException.class)
                .hasMessageStartingWith("Cannot read the message from '/queue/orders' (message-id m-1) as "
                        + Order.class.getName() + ": Unexpected character ('n'")
                .hasMessageContaining("offset 1");
    }

    @Test
    void typeMismatchNamesTheProperty() {
        assertThatThrownBy(() -> json.read(TestMessage.of("{\"id\":\"o\",\"price\":\"cheap\",\"quantity\":1}"),
                Order.class))
                .isInstanceOf(StompJsonException.class)
                .hasMessageContaining("cheap")
                .hasMessageContaining("[\"price\"]");
        assertThatThrownBy(() -> json.read(TestMessage.of("[1,2]"), Order.class))
                .hasMessageContaining("from Array value");
        assertThatThrownBy(() -> json.read(TestMessage.of("{\"a\":1}"), new TypeReference<List<Order>>() { }))
                .hasMessageContaining("as java.util.List<" + Order.class.getName() + ">");
    }

    @Test
    void aConstructorThatRefusesTheValueIsABadMessage() {
        assertThat(json.read(TestMessage.of("{\"value\":42}"), Percent.class)).isEqualTo(new Percent(42));
        assertThatThrownBy(() -> json.read(TestMessage.of("{\"value\":420}"), Percent.class))
                .isInstanceOf(StompJsonException.class)
                .hasMessageContaining("not a percentage: 420");
    }

    @Test
    void messageNeverHoldsTheWholeBody() {
        String secret = "x".repeat(10_000);
        String body = "{\"id\":\"" + secret + "\",\"price\":\"" + secret + "\"}";
        assertThatThrownBy(() -> json.read(TestMessage.of(body), Order.class))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1_000).doesNotContain(secret));
    }

    @Test
    void emptyBodyNullAndTrailingGarbageAreRefused() {
        assertThatThrownBy(() -> json.read(TestMessage.of(""), Order.class))
                .isInstanceOf(StompJsonException.class).hasMessageContaining("No content");
        assertThatThrownBy(() -> json.read(TestMessage.of("null"), Order.class))
                .isInstanceOf(StompJsonException.class).hasMessageEndingWith("the body is the JSON literal null");
        assertThatThrownBy(() -> json.read(TestMessage.of("{\"id\":\"o\",\"price\":1,\"quantity\":1} {}"), Order.class))
                .isInstanceOf(StompJsonException.class).hasMessageContaining("Trailing token");
    }

    @Test
    void readIgnoresTheContentTypeTheCallerAskedForJson() {
        Quote quote = json.read(TestMessage.of("{\"symbol\":\"A\",\"bid\":1,\"ask\":2}", "content-type", "text/plain"),
                Quote.class);
        assertThat(quote.symbol()).isEqualTo("A");
    }

    @Test
    void decodesADeclaredCharsetOtherThanUtf8() {
        byte[] latin1 = "{\"name\":\"Zoë\",\"tags\":[]}".getBytes(StandardCharsets.ISO_8859_1);
        Customer customer = json.read(TestMessage.of(latin1, "content-type", "application/json; charset=\"ISO-8859-1\""),
                Customer.class);
        assertThat(customer.getName()).isEqualTo("Zoë");

        assertThatThrownBy(() -> json.read(TestMessage.of("{}", "content-type", "application/json;charset=x-nope"),
                Customer.class))
                .isInstanceOf(StompJsonException.class).hasMessageContaining("charset 'x-nope'");
    }

    @Test
    void utf8BodiesKeepEveryCharacter() {
        Customer customer = json.read(TestMessage.of("{\"name\":\"日本 \uD83D\uDE00\"}", "content-type",
                "application/json;charset=UTF-8"), Customer.class);
        assertThat(customer.getName()).isEqualTo("日本 \uD83D\uDE00");
    }

    /** A received frame (its body a slice of the WebSocket message it came in) is read where it lies. */
    @Test
    void readsAReceivedBodyThatIsASliceOfALargerArray() {
        byte[] utf8 = "NOT JSON{\"id\":\"o-1\",\"price\":2.5,\"quantity\":3}\0trailing".getBytes(StandardCharsets.UTF_8);
        Frame received = new Frame("MESSAGE", new LinkedHashMap<>(Map.of("destination", "/queue/orders")), utf8, 8,
                utf8.length - 8 - 9);
        assertThat(json.read(received, Order.class)).isEqualTo(new Order("o-1", new BigDecimal("2.5"), 3));

        byte[] latin1 = "xx{\"name\":\"Zoë\",\"tags\":[]}yy".getBytes(StandardCharsets.ISO_8859_1);
        Frame declared = new Frame("MESSAGE", new LinkedHashMap<>(Map.of("content-type", "application/json;charset=ISO-8859-1")),
                latin1, 2, latin1.length - 4);
        assertThat(json.read(declared, Customer.class).getName()).isEqualTo("Zoë");

        // Offsets in the error count from the body's start, not the array's.
        byte[] bad = "0123456789{\"id\":}".getBytes(StandardCharsets.UTF_8);
        Frame broken = new Frame("MESSAGE", new LinkedHashMap<>(), bad, 10, bad.length - 10);
        assertThatThrownBy(() -> json.read(broken, Order.class))
                .isInstanceOf(StompJsonException.class).hasMessageContaining("offset 6");
        assertThatThrownBy(() -> json.read(TestMessage.of("{\"id\":}"), Order.class))
                .isInstanceOf(StompJsonException.class).hasMessageContaining("offset 6");
    }
}
