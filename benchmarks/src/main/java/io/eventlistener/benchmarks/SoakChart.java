package io.eventlistener.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;

import javax.imageio.ImageIO;

/**
 * The soak run's chart, drawn with plain Java2D like {@link Chart}: on the left events
 * published and handled per second between samples, on the right heap after GC and
 * threads; every fault a dashed line with its number.
 */
final class SoakChart {

	private static final int WIDTH = 1200;

	private static final int HEIGHT = 480;

	private static final Color OURS = new Color(0x2E7D32);

	private static final Color PEER = new Color(0x607D8B);

	private static final Color FAULT = new Color(0xC62828);

	private SoakChart() {
	}

	static void write(Path file, List<Soak.Sample> samples, List<Soak.Fault> faults, String title) throws IOException {
		BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = Chart.canvas(image, title);
		double[] published = rate(samples, Soak.Sample::published);
		double[] handled = rate(samples, Soak.Sample::handled);
		double end = samples.isEmpty() ? 1 : samples.get(samples.size() - 1).seconds();
		Panel events = new Panel(g, 40, 70, WIDTH / 2 - 70, HEIGHT - 130, end,
				Math.max(max(published), max(handled)) * 1.15);
		events.title("Events per second: published (grey), handled (green); faults dashed");
		events.line(samples, published, PEER);
		events.line(samples, handled, OURS);
		events.faults(faults);
		double[] heap = samples.stream().mapToDouble(Soak.Sample::heapAfterGcMiB).toArray();
		double[] threads = samples.stream().mapToDouble(Soak.Sample::applicationThreads).toArray();
		Panel jvm = new Panel(g, WIDTH / 2 + 40, 70, WIDTH / 2 - 70, HEIGHT - 130, end,
				Math.max(max(heap), max(threads)) * 1.15);
		jvm.title("Heap after GC, MiB (green); threads, without the database proxy's (grey)");
		jvm.line(samples, threads, PEER);
		jvm.line(samples, heap, OURS);
		jvm.faults(faults);
		g.dispose();
		ImageIO.write(image, "png", file.toFile());
	}

	private static double[] rate(List<Soak.Sample> samples, ToDoubleFunction<Soak.Sample> count) {
		double[] rates = new double[samples.size()];
		for (int i = 1; i < samples.size(); i++) {
			double seconds = samples.get(i).seconds() - samples.get(i - 1).seconds();
			rates[i] = (seconds > 0)
					? (count.applyAsDouble(samples.get(i)) - count.applyAsDouble(samples.get(i - 1))) / seconds : 0;
		}
		return rates;
	}

	private static double max(double[] values) {
		double max = 1;
		for (double value : values) {
			max = Math.max(max, value);
		}
		return max;
	}

	private record Panel(Graphics2D g, int x, int y, int width, int height, double seconds, double top) {

		void title(String text) {
			this.g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
			this.g.setColor(Color.DARK_GRAY);
			this.g.drawString(text, this.x - 20, this.y - 20);
			this.g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
			this.g.setStroke(new BasicStroke(1));
			this.g.drawLine(this.x, this.y + this.height, this.x + this.width, this.y + this.height);
			this.g.drawLine(this.x, this.y, this.x, this.y + this.height);
			for (int tick = 0; tick <= 4; tick++) {
				double value = this.top * tick / 4;
				int at = py(value);
				this.g.drawString(String.format("%.0f", value), this.x - 32, at + 4);
				double time = this.seconds * tick / 4;
				String format = (this.seconds < 600) ? "%.1f min" : "%.0f min";
				this.g.drawString(String.format(format, time / 60), px(time) - 14, this.y + this.height + 16);
			}
		}

		void line(List<Soak.Sample> samples, double[] values, Color color) {
			this.g.setColor(color);
			this.g.setStroke(new BasicStroke(2));
			for (int i = 1; i < samples.size(); i++) {
				this.g.drawLine(px(samples.get(i - 1).seconds()), py(values[i - 1]), px(samples.get(i).seconds()),
						py(values[i]));
			}
		}

		void faults(List<Soak.Fault> faults) {
			this.g.setColor(FAULT);
			this.g.setStroke(
					new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] { 4, 4 }, 0));
			this.g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
			for (Soak.Fault fault : faults) {
				int at = px(fault.seconds());
				this.g.drawLine(at, this.y, at, this.y + this.height);
				this.g.drawString(fault.number() + " " + fault.label(), at + 2,
						this.y + 10 + 12 * ((fault.number() - 1) % 3));
			}
		}

		private int px(double time) {
			return this.x + (int) (this.width * time / Math.max(1, this.seconds));
		}

		private int py(double value) {
			return this.y + this.height - (int) (this.height * value / this.top);
		}

	}

}
