package dev.jstomp.bench.e2e;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import dev.jstomp.bench.e2e.DeployedRunner.Kind;
import dev.jstomp.bench.e2e.DeployedRunner.Result;

/** The chart of {@link DeployedRunner}: median msgs/s of 128-byte bodies per client, one bar per warm-up level. */
final class DeployedChart {

    private DeployedChart() {
    }

    static void write(List<Result> results, List<Kind> kinds, List<Long> warmups, int rounds, Path png)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(600)
                .title("Throughput as deployed: broker and each client in JVMs of their own (median of " + rounds
                        + " rounds)")
                .xAxisTitle("client / transport").yAxisTitle("msgs/s, 128-byte bodies").build();
        var styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setYAxisDecimalPattern("#,###");
        styler.setXAxisLabelRotation(30);
        List<String> labels = kinds.stream().map(Kind::label).toList();
        Color[] colors = {new Color(0x90, 0xca, 0xf9), new Color(0x1f, 0x4e, 0xd8), new Color(0xe6, 0x7e, 0x00)};
        for (int i = 0; i < warmups.size(); i++) {
            long warmup = warmups.get(i);
            List<Double> medians = new ArrayList<>();
            for (Kind k : kinds) {
                double m = Tables.median(results.stream()
                        .filter(r -> r.ok() && r.kind().equals(k) && r.warmup() == warmup)
                        .mapToDouble(r -> r.get("msgs_per_s")).filter(v -> !Double.isNaN(v)).sorted().toArray());
                medians.add(Double.isNaN(m) ? 0 : m);
            }
            String name = String.format(Locale.ROOT, "warm-up %,d%s", warmup,
                    i == 0 && warmups.size() > 1 ? " (cold)" : i == warmups.size() - 1 && i > 0 ? " (warm)" : "");
            chart.addSeries(name, labels, medians).setFillColor(colors[i % colors.length]);
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmapWithDPI(chart, png.toString().replaceFirst("\\.png$", ""),
                BitmapEncoder.BitmapFormat.PNG, 110);
    }
}
