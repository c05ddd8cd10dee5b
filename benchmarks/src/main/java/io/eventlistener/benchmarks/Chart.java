package io.eventlistener.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * The one chart of a run, drawn with plain Java2D: throughput of each contender on the
 * left, and on the right, per observer count, the seconds to all consuming and the heap.
 */
final class Chart {

	private static final int WIDTH = 1200;

	private static final int HEIGHT = 480;

	private static final Color OURS = new Color(0x2E7D32);

	private static final Color PEER = new Color(0x607D8B);

	private Chart() {
	}

	static void write(Path file, Map<String, Double> throughput, List<ScaleBenchmark.Sample> scale, String title)
			throws IOException {
		BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = canvas(image, title);
		throughput(g, throughput, 20, 60, WIDTH / 2 - 40, HEIGHT - 90);
		scale(g, scale, WIDTH / 2 + 20, 60, WIDTH / 2 - 40, HEIGHT - 90);
		g.dispose();
		ImageIO.write(image, "png", file.toFile());
	}

	/**
	 * A white image with its title, ready to draw on.
	 */
	static Graphics2D canvas(BufferedImage image, String title) {
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, image.getWidth(), image.getHeight());
		g.setColor(Color.DARK_GRAY);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
		g.drawString(title, 20, 28);
		return g;
	}

	private static void throughput(Graphics2D g, Map<String, Double> rates, int x, int y, int width, int height) {
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
		g.setColor(Color.DARK_GRAY);
		g.drawString("Consumer throughput, events/s (1 KiB, prefetch 250, ack per message)", x, y);
		double max = rates.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
		int labelWidth = 170;
		int barArea = width - labelWidth - 70;
		int row = Math.min(48, (height - 20) / Math.max(1, rates.size()));
		int top = y + 20;
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		for (Map.Entry<String, Double> entry : rates.entrySet()) {
			int bar = (int) (barArea * entry.getValue() / max);
			g.setColor(entry.getKey().startsWith("starter") ? OURS : PEER);
			g.fillRect(x + labelWidth, top + 6, bar, row - 14);
			g.setColor(Color.DARK_GRAY);
			g.drawString(Report.label(entry.getKey()), x, top + row / 2 + 4);
			g.drawString(String.format("%,.0f", entry.getValue()), x + labelWidth + bar + 6, top + row / 2 + 4);
			top += row;
		}
	}

	private static void scale(Graphics2D g, List<ScaleBenchmark.Sample> samples, int x, int y, int width, int height) {
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
		g.setColor(Color.DARK_GRAY);
		g.drawString("Scale: JVM start to all observers consuming (s); heap after GC", x, y);
		if (samples.isEmpty()) {
			return;
		}
		double max = samples.stream().mapToDouble(ScaleBenchmark.Sample::consumingSeconds).max().orElse(1);
		int base = y + height - 30;
		int plot = height - 80;
		int slot = width / samples.size();
		g.setStroke(new BasicStroke(1));
		g.drawLine(x, base, x + width, base);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		for (int i = 0; i < samples.size(); i++) {
			ScaleBenchmark.Sample sample = samples.get(i);
			int bar = (int) (plot * sample.consumingSeconds() / max);
			int left = x + i * slot + slot / 4;
			g.setColor(OURS);
			g.fillRect(left, base - bar, slot / 2, bar);
			g.setColor(Color.DARK_GRAY);
			g.drawString(String.format("%.1f s", sample.consumingSeconds()), left, base - bar - 22);
			g.drawString(String.format("%.0f MiB, %d thr", sample.heapMiB(), sample.threads()), left, base - bar - 6);
			g.drawString(String.format("%,d observers", sample.observers()), left, base + 18);
		}
	}

}
