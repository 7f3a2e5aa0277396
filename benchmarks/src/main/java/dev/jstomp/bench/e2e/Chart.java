package dev.jstomp.bench.e2e;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The results chart: median msgs/s by body size, one line per client and transport, from the runner's
 * CSV ({@code java -cp benchmarks.jar dev.jstomp.bench.e2e.Chart results.csv throughput.png}).
 */
public final class Chart {

    /** Fixed colours, so that a client looks the same in every chart. */
    private static final Map<String, Color> COLORS = Map.of(
            "jstomp / tcp", new Color(0x1f, 0x4e, 0xd8),
            "jstomp / ws", new Color(0xe6, 0x7e, 0x00),
            "spring / tcp", new Color(0xc6, 0x28, 0x28),
            "spring / ws", new Color(0x8e, 0x24, 0xaa),
            "raw / tcp", new Color(0x55, 0x55, 0x55),
            "raw / ws", new Color(0x2e, 0x7d, 0x32),
            "vertx / tcp", new Color(0x00, 0x83, 0x8f),
            "vertx-noreceipt / tcp", new Color(0x6d, 0x4c, 0x41));

    private Chart() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("Usage: Chart RESULTS.csv OUT.png");
            System.exit(2);
        }
        if (!write(Paths.get(args[0]), Paths.get(args[1]))) {
            System.err.println("No throughput rows in " + args[0]);
            System.exit(1);
        }
        System.out.println("Chart: " + args[1]);
    }

    /** @return false when the CSV has no throughput measurements */
    public static boolean write(Path csv, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Row> rows = Files.readAllLines(csv, StandardCharsets.UTF_8).stream().skip(1)
                .filter(l -> !l.isBlank()).map(Row::parse)
                .filter(r -> r.mode().equals("throughput") && r.ok()).toList();
        if (rows.isEmpty()) {
            return false;
        }
        // label -> size -> msgs/s values
        Map<String, TreeMap<Integer, List<Double>>> series = new TreeMap<>();
        for (Row r : rows) {
            series.computeIfAbsent(r.client() + " / " + r.transport(), k -> new TreeMap<>())
                    .computeIfAbsent(r.bodyBytes(), k -> new ArrayList<>()).add(r.msgsPerSec());
        }
        XYChart chart = new XYChartBuilder().width(1100).height(650)
                .title("STOMP throughput by body size (embedded Artemis, 1 producer, 1 consumer; median of rounds)")
                .xAxisTitle("body size (bytes, log scale)").yAxisTitle("msgs/s (log scale)").build();
        var styler = chart.getStyler();
        styler.setXAxisLogarithmic(true);
        styler.setYAxisLogarithmic(true);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesVisible(true);
        styler.setXAxisDecimalPattern("#,###");
        styler.setYAxisDecimalPattern("#,###");
        for (Map.Entry<String, TreeMap<Integer, List<Double>>> e : series.entrySet()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            e.getValue().forEach((size, values) -> {
                x.add((double) Math.max(1, size));
                y.add(Tables.median(values.stream().mapToDouble(Double::doubleValue).sorted().toArray()));
            });
            XYSeries s = chart.addSeries(e.getKey(), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            Color color = COLORS.get(e.getKey());
            if (color != null) {
                s.setLineColor(color);
                s.setMarkerColor(color);
            }
            if (e.getKey().startsWith("jstomp")) {
                s.setLineStyle(new BasicStroke(3.5f));
            } else if (e.getKey().startsWith("raw")) {
                s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {6f, 4f}, 0f));
            }
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        String base = png.toString().replaceFirst("\\.png$", "");
        BitmapEncoder.saveBitmapWithDPI(chart, base, BitmapEncoder.BitmapFormat.PNG, 110);
        return true;
    }

}
