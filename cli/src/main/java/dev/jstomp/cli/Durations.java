package dev.jstomp.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations as people write them: {@code 5s}, {@code 500ms}, {@code 2m}, {@code 1.5s}, {@code 5} (seconds), {@code PT5S}. */
public final class Durations implements ITypeConverter<Duration> {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /**
     * Parses a duration.
     *
     * @param value the text
     * @return a positive duration
     * @throws TypeConversionException when the text is not a positive duration
     */
    public static Duration parse(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        Duration parsed;
        Matcher m = SIMPLE.matcher(text);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double millis = switch (unit) {
                case "ms" -> amount;
                case "m" -> amount * 60_000;
                case "h" -> amount * 3_600_000;
                default -> amount * 1000;
            };
            parsed = Duration.ofMillis(Math.round(millis));
        } else {
            try {
                parsed = Duration.parse(value.strip().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a duration; write it like 5s, 500ms or 2m");
            }
        }
        if (parsed.isNegative() || parsed.isZero()) {
            throw new TypeConversionException("'" + value + "' must be a positive duration");
        }
        return parsed;
    }
}
